package live

import (
	"sort"

	"github.com/leasesim/leasesim/history"
)

// Window is one overlap found in a history, on its timeline (ns from the start).
type Window struct {
	// Holders are the two holders involved: for a belief overlap the one whose claim
	// started first, then the other; for an effective overlap the stale writer, then the
	// newer one it went behind.
	Holders [2]string `json:"holders"`
	// Epochs are the two holders' epochs, in the same order.
	Epochs [2]uint64 `json:"epochs"`
	From   int64     `json:"from"`
	To     int64     `json:"to"`
	// MS is To - From in milliseconds.
	MS float64 `json:"ms"`
}

func newWindow(h [2]string, e [2]uint64, from, to int64) Window {
	return Window{Holders: h, Epochs: e, From: from, To: to, MS: float64(to-from) / 1e6}
}

// Classify splits a history's findings into belief overlaps and effective overlaps.
//
// A belief overlap is a time when two holders both had a claim on the measured lease:
// each pair of intersecting claims of different holders gives the window where both
// held. With etcd's client this is expected under partitions and pauses — a holder learns
// that its session is gone only when its own keepalive deadline passes, after etcd has
// already expired the lease and elected another — and is harmless when writes are fenced.
//
// An effective overlap is a write the resource accepted under an epoch older than one it
// had already accepted: a stale leader's write landing after a newer leader's. The writes
// are taken in the order of their acceptance time (At; in live histories the order etcd
// accepted them); each run of stale writes behind the same newer epoch gives one window,
// from the newer epoch's first accepted write to the last stale write. This is a real
// safety bug, which fencing must prevent.
//
// Classify reads only the history (claims and writes); it does not modify it.
func Classify(h *history.History) (beliefOverlap, effective []Window) {
	return beliefOverlaps(h), effectiveOverlaps(h)
}

func beliefOverlaps(h *history.History) []Window {
	lease := h.Meta.LeaseName()
	var claims []history.Claim
	for _, c := range h.Claims {
		if c.Lease == lease && c.To > c.From {
			claims = append(claims, c)
		}
	}
	sort.SliceStable(claims, func(i, j int) bool { return claims[i].From < claims[j].From })
	var out []Window
	var active []history.Claim
	for _, c := range claims {
		kept := active[:0]
		for _, a := range active {
			if a.To > c.From {
				kept = append(kept, a)
			}
		}
		active = kept
		for _, a := range active {
			if a.Holder == c.Holder {
				continue
			}
			out = append(out, newWindow([2]string{a.Holder, c.Holder}, [2]uint64{a.Epoch, c.Epoch},
				c.From, min(a.To, c.To)))
		}
		active = append(active, c)
	}
	return out
}

func effectiveOverlaps(h *history.History) []Window {
	var writes []history.Write
	for _, w := range h.Writes {
		if w.Accepted {
			writes = append(writes, w)
		}
	}
	sort.SliceStable(writes, func(i, j int) bool { return writes[i].At < writes[j].At })
	var out []Window
	var newest history.Write // the first accepted write of the newest epoch so far
	seen := false
	for _, w := range writes {
		switch {
		case !seen || w.Epoch > newest.Epoch:
			newest, seen = w, true
		case w.Epoch < newest.Epoch:
			if n := len(out); n > 0 && out[n-1].Holders[0] == w.Writer && out[n-1].Epochs == [2]uint64{w.Epoch, newest.Epoch} {
				out[n-1] = newWindow(out[n-1].Holders, out[n-1].Epochs, out[n-1].From, w.At)
				continue
			}
			out = append(out, newWindow([2]string{w.Writer, newest.Writer}, [2]uint64{w.Epoch, newest.Epoch},
				newest.At, w.At))
		}
	}
	return out
}
