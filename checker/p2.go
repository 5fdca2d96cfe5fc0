package checker

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/leasesim/leasesim/history"
)

// checkP2 finds stale writes: writes the resource accepted whose epoch is older than the
// newest epoch it had accepted before them (a deposed leader's write landing after the
// new leader's). Writes are taken in order of At; writes at the same At keep their order
// in the history. Rejected writes are ignored: rejecting them is what fencing is for.
//
// Stale writes of the same writer under the same epoch, made stale by the same newer
// epoch, form one finding: From is the At of the first of them and To the At of the last
// (both inclusive: To == From for a single write); Holders is the stale writer then the
// writer of the newer epoch (the same name twice when a holder's own older write landed
// after its newer one). It returns the findings and the number of accepted writes.
func checkP2(h *history.History) ([]Finding, int) {
	idx := make([]int, 0, len(h.Writes))
	for i := range h.Writes {
		if h.Writes[i].Accepted {
			idx = append(idx, i)
		}
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(h.Writes[a].At, h.Writes[b].At) })

	type key struct {
		writer       string
		epoch, newer uint64
	}
	type group struct {
		first, last int64
		count       int
		newerWriter string
		newerAt     int64
	}
	groups := map[key]*group{}
	var order []key
	newest, newestAt, newestWriter, seen := uint64(0), int64(0), "", false
	for _, i := range idx {
		w := &h.Writes[i]
		switch {
		case !seen || w.Epoch > newest:
			newest, newestAt, newestWriter, seen = w.Epoch, w.At, w.Writer, true
		case w.Epoch < newest:
			k := key{w.Writer, w.Epoch, newest}
			g, ok := groups[k]
			if !ok {
				g = &group{first: w.At, newerWriter: newestWriter, newerAt: newestAt}
				groups[k] = g
				order = append(order, k)
			}
			g.last = w.At
			g.count++
		}
	}
	var out []Finding
	for _, k := range order {
		g := groups[k]
		what := "a write"
		if g.count > 1 {
			what = fmt.Sprintf("%d writes", g.count)
		}
		when := "at " + formatTime(g.first)
		if g.last > g.first {
			when = fmt.Sprintf("between %s and %s", formatTime(g.first), formatTime(g.last))
		}
		out = append(out, Finding{Kind: P2, Holders: []string{k.writer, g.newerWriter}, From: g.first, To: g.last,
			Detail: fmt.Sprintf("the resource accepted %s of %s under epoch %d %s, after %s's write under epoch %d at %s",
				what, k.writer, k.epoch, when, g.newerWriter, k.newer, formatTime(g.newerAt))})
	}
	return out, len(idx)
}
