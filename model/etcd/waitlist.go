package etcd

// waitList holds the client requests an issuer node took and has not answered yet, by
// request id, in place of a map (an insert and a delete per request). Request ids grow
// by one per id the node hands out, and requests are added in id order; some ids (expiry
// revokes, failure declarations) are never added. The list is a window of ids from base
// on, in a ring (its length a power of two): an answered request leaves a hole until the
// holes before it are gone too, so the window spans from the oldest unanswered request
// to the newest.
type waitList struct {
	base uint64 // the id of the window's first slot
	ring []waitSlot
	head int // where base's slot is
	n    int // the window's length: ids base .. base+n-1
	// unordered: a request was added with an arrival time before an earlier one's (the
	// node's monotonic clock went back), so forget cannot stop at the first young one.
	unordered bool
	lastAt    int64
}

type waitSlot struct {
	cr clientReq
	in bool
}

func (w *waitList) slot(i int) *waitSlot { return &w.ring[(w.head+i)&(len(w.ring)-1)] }

// add holds request id (greater than every id added before).
func (w *waitList) add(id uint64, cr clientReq) {
	if w.n == 0 {
		w.base, w.unordered = id, false
	} else if cr.at < w.lastAt {
		w.unordered = true
	}
	w.lastAt = cr.at
	i := int(id - w.base)
	if i >= len(w.ring) {
		grown := make([]waitSlot, max(64, len(w.ring)))
		for len(grown) <= i {
			grown = make([]waitSlot, 2*len(grown))
		}
		for j := range w.n {
			grown[j] = *w.slot(j)
		}
		w.ring, w.head = grown, 0
	}
	// Slots between the last id added and this one are holes (zero: taken slots are
	// cleared).
	*w.slot(i) = waitSlot{cr: cr, in: true}
	w.n = i + 1
}

// take removes request id and returns it, or reports that it is not held.
func (w *waitList) take(id uint64) (clientReq, bool) {
	if id < w.base || id-w.base >= uint64(w.n) {
		return clientReq{}, false
	}
	s := w.slot(int(id - w.base))
	if !s.in {
		return clientReq{}, false
	}
	cr := s.cr
	*s = waitSlot{}
	w.trim()
	return cr, true
}

// trim drops the holes at the front.
func (w *waitList) trim() {
	for w.n > 0 && !w.slot(0).in {
		w.head = (w.head + 1) & (len(w.ring) - 1)
		w.base++
		w.n--
	}
}

// forget removes the requests that arrived before cutoff (at < cutoff). Requests arrive
// in order of time unless the clock went back, so the old ones are at the front.
func (w *waitList) forget(cutoff int64) {
	if w.unordered {
		for i := range w.n {
			if s := w.slot(i); s.in && s.cr.at < cutoff {
				*s = waitSlot{}
			}
		}
	} else {
		for i := range w.n {
			s := w.slot(i)
			if s.in && s.cr.at >= cutoff {
				break
			}
			*s = waitSlot{}
		}
	}
	w.trim()
}
