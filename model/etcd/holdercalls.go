package etcd

import "github.com/leasesim/leasesim/sim"

// The holder's bookkeeping of its calls, kept off maps: a request is found by its
// sequence number in a window of the requests sent, and the last request of each call
// (the one-in-flight rule) in a slot indexed by the call's method, lease and key. A
// keys scenario makes some 90,000 calls a run; keyed by strings, these were a fifth of
// its time.

// callWindow holds the requests a holder sent, in the order sent (so by send time and
// by sequence number, which grows by one per request), back to the oldest that may still
// be in flight: the i-th has sequence number base+i. A request stays in the window after
// its answer (in is false then) until forget drops it from the front. The window is a
// ring (its length a power of two), so that neither end's changes move the others.
type callWindow struct {
	base uint64
	ring []pending
	head int // where the request base is
	n    int // how many requests it holds
}

// at returns the i-th request of the window (i < w.n).
func (w *callWindow) at(i int) *pending { return &w.ring[(w.head+i)&(len(w.ring)-1)] }

// add appends the request with sequence number seq, which must be one more than the
// last added (any number when the window is empty).
func (w *callWindow) add(seq uint64, p pending) {
	if w.n == 0 {
		w.base = seq
	}
	if w.n == len(w.ring) {
		grown := make([]pending, max(64, 2*len(w.ring)))
		for i := range w.n {
			grown[i] = *w.at(i)
		}
		w.ring, w.head = grown, 0
	}
	p.in = true
	*w.at(w.n) = p
	w.n++
}

// get returns request seq if it is still in flight, else nil.
func (w *callWindow) get(seq uint64) *pending {
	if seq < w.base || seq-w.base >= uint64(w.n) {
		return nil
	}
	if p := w.at(int(seq - w.base)); p.in {
		return p
	}
	return nil
}

// forget drops the requests sent at or before until from the front.
func (w *callWindow) forget(until int64) {
	for w.n > 0 && w.at(0).sent <= until {
		*w.at(0) = pending{} // let the request go
		w.head = (w.head + 1) & (len(w.ring) - 1)
		w.base++
		w.n--
	}
}

// callEntry is the last request (seq) of one call: a method for a lease and key, to an
// issuer node. A slot holds one entry per call it has seen whose request may still be in
// flight.
type callEntry struct {
	method, key string
	lease       int64
	to          sim.NodeID
	seq         uint64
}

// The slots of the election's calls (bulk 0), and of each key lease's calls after
// them: its Grant, its KeepAlive, any other method, then a Put per key.
const (
	slotGrant = iota
	slotKeepAlive
	slotOther
	slotPut   // the election's Put; a key lease's first key's
	slotFirst // the election's First (bulk 0 only)
	electionSlots
)

// callSlots are the entries of a holder's calls by slot.
type callSlots struct {
	perBulk int // slots per key lease: 3 + its keys
	slots   [][]callEntry
}

// init sizes the slots for key leases of keys keys each.
func (c *callSlots) init(leases, keys int) {
	c.perBulk = slotPut + keys
	c.slots = make([][]callEntry, electionSlots+leases*c.perBulk)
}

// index returns the slot of a call of method for key lease bulk (index+1; 0: the
// election's) and key index key.
func (c *callSlots) index(method string, bulk, key int) int {
	i := slotOther
	switch method {
	case methodGrant:
		i = slotGrant
	case methodKeepAlive:
		i = slotKeepAlive
	case methodPut:
		i = slotPut + key
	case methodFirst:
		if bulk == 0 {
			i = slotFirst
		}
	}
	if bulk > 0 {
		i += electionSlots + (bulk-1)*c.perBulk
	}
	return i
}

// latest returns the last request of call e (e.seq is ignored), if any.
func (c *callSlots) latest(e callEntry, bulk, key int) (uint64, bool) {
	return c.latestAt(c.index(e.method, bulk, key), e)
}

// latestAt is latest for the call's slot i (index).
func (c *callSlots) latestAt(i int, e callEntry) (uint64, bool) {
	for _, x := range c.slots[i] {
		if x.method == e.method && x.key == e.key && x.lease == e.lease && x.to == e.to {
			return x.seq, true
		}
	}
	return 0, false
}

// set records e.seq as the last request of call e. It takes the place of the call's
// previous entry, or of an entry whose request is no longer in flight (w), which holds
// up no call, as if there were none.
func (c *callSlots) set(e callEntry, bulk, key int, w *callWindow) {
	c.setAt(c.index(e.method, bulk, key), e, w)
}

// setAt is set for the call's slot i (index).
func (c *callSlots) setAt(i int, e callEntry, w *callWindow) {
	s := c.slots[i]
	free := -1
	for j, x := range s {
		if x.method == e.method && x.key == e.key && x.lease == e.lease && x.to == e.to {
			s[j] = e
			return
		}
		if free < 0 && w.get(x.seq) == nil {
			free = j
		}
	}
	if free >= 0 {
		s[free] = e
		return
	}
	c.slots[i] = append(s, e)
}
