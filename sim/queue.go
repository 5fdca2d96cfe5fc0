package sim

import "slices"

// evKind is the kind of a queued event.
type evKind uint8

const (
	evStart      evKind = iota + 1 // a node's process starts (run start or restart)
	evDeliver                      // a message arrives at its destination
	evDepart                       // a message leaves its sender after the processing delay
	evTimer                        // a node's timer fires
	evClaimEnd                     // a claim's deadline is reached on its holder's clock
	evFaultStart                   // a scheduled fault begins
	evFaultEnd                     // a scheduled fault ends
	evClock                        // a node's clock rate changes (periodic piece, slew poll)
)

var evKindNames = [...]string{
	evStart: "start", evDeliver: "deliver", evDepart: "depart", evTimer: "timer",
	evClaimEnd: "claim-end", evFaultStart: "fault", evFaultEnd: "fault-end", evClock: "clock",
}

func (k evKind) String() string { return evKindNames[k] }

// evBody is what an event does. Bodies live in a slab so that the heap moves only small
// keys.
type evBody struct {
	kind evKind
	node NodeID
	slot int32  // timer slot, claim slot, or fault index
	gen  uint32 // staleness check for timers and claims; incarnation for deliveries
	msg  Message
}

// evKey orders events by (time, sequence): events at the same true time run in the
// order they were scheduled, which makes the run deterministic.
//
// A key is 16 bytes: the time, and the sequence number shifted left by idxBits with the
// body's slab index in the low bits (the sequence decides ties, the index never does,
// since sequence numbers are unique).
type evKey struct {
	at int64
	sk uint64
}

// idxBits is the width of a body index inside evKey.sk: up to 16M pending events, and
// 2^40 events per run.
const idxBits = 24

func (k evKey) idx() int32 { return int32(k.sk & (1<<idxBits - 1)) }

func (a evKey) less(b evKey) bool {
	return a.at < b.at || (a.at == b.at && a.sk < b.sk)
}

func (a evKey) cmp(b evKey) int {
	switch {
	case a.less(b):
		return -1
	case b.less(a):
		return 1
	}
	return 0
}

// eventQueue is a priority queue of keys plus the slab of bodies they point to.
//
// A run usually has a few dozen events pending (the reference workload: 14 on average,
// at most 16), and most new events fall due before most pending ones (a message's
// delivery, milliseconds away, before the next renewal and every claim end). So while at
// most sortedMax events are pending the keys are kept sorted, latest first: a pop takes
// the last key, with no comparison at all, and a push moves only the keys due before
// it, which are few. Beyond sortedMax (a thousand leases pending, etcd-keys-own-leases)
// an insertion would move hundreds of keys, and the keys become a 4-ary min-heap, which
// stays one until the queue shrinks to sortedMin. Keys are totally ordered (sequence
// numbers are unique), so both forms pop events in exactly the same order.
type eventQueue struct {
	keys   []evKey
	heap   bool // keys is a 4-ary min-heap; otherwise sorted latest first
	bodies []evBody
	free   []int32
	seq    uint64
}

// sortedMax and sortedMin bound the sorted form: the keys become a heap when a push
// makes more than sortedMax pending, and sorted again when a pop leaves sortedMin. The
// gap keeps a queue hovering near either bound from converting back and forth.
const (
	sortedMax = 32
	sortedMin = 16
)

func (q *eventQueue) len() int { return len(q.keys) }

// push schedules body at true time at.
func (q *eventQueue) push(at int64, b evBody) {
	idx, p := q.alloc()
	*p = b
	q.pushKey(at, idx)
}

// alloc returns a free body slot, for the caller to fill and then schedule with pushKey.
// The pointer is valid until the next alloc.
func (q *eventQueue) alloc() (int32, *evBody) {
	var idx int32
	if n := len(q.free); n > 0 {
		idx = q.free[n-1]
		q.free = q.free[:n-1]
	} else {
		idx = int32(len(q.bodies))
		q.bodies = append(q.bodies, evBody{})
	}
	return idx, &q.bodies[idx]
}

func (q *eventQueue) pushKey(at int64, idx int32) {
	if idx >= 1<<idxBits {
		panic("sim: more than 16M events pending at once")
	}
	q.seq++
	k := evKey{at: at, sk: q.seq<<idxBits | uint64(idx)}
	q.keys = append(q.keys, k)
	// k has the highest sequence number of all pending keys, so a pending key comes
	// before it exactly when its time is not later: one comparison per key.
	if q.heap {
		q.up(len(q.keys) - 1)
		return
	}
	// Move the keys due before k one place up, and put k below the rest.
	keys := q.keys
	j := len(keys) - 1
	for j > 0 && keys[j-1].at <= at {
		keys[j] = keys[j-1]
		j--
	}
	keys[j] = k
	if len(keys) > sortedMax {
		slices.Reverse(keys) // sorted earliest first, which is a min-heap
		q.heap = true
	}
}

// pushMsg schedules the delivery of a copy of m at true time at, writing it straight
// into the slab (messages are the most frequent events; this saves copies).
func (q *eventQueue) pushMsg(at int64, kind evKind, m *Message) {
	idx, b := q.alloc()
	// One field at a time: a parallel assignment copies *m to the stack first.
	b.msg = *m
	b.kind, b.node, b.slot, b.gen = kind, m.To, 0, 0
	q.pushKey(at, idx)
}

// peekTime returns the time of the earliest event; the queue must not be empty.
func (q *eventQueue) peekTime() int64 {
	if q.heap {
		return q.keys[0].at
	}
	return q.keys[len(q.keys)-1].at
}

// popBefore removes the earliest event if it falls due before end, and returns its time
// and slab index as popIdx does; ok is false, and the queue unchanged, otherwise.
func (q *eventQueue) popBefore(end int64) (at int64, idx int32, ok bool) {
	last := len(q.keys) - 1
	if last < 0 {
		return 0, 0, false
	}
	if q.heap {
		return q.popHeapBefore(end)
	}
	k := q.keys[last]
	if k.at >= end {
		return 0, 0, false
	}
	q.keys = q.keys[:last]
	return k.at, k.idx(), true
}

// popHeapBefore is popBefore for the heap form.
func (q *eventQueue) popHeapBefore(end int64) (at int64, idx int32, ok bool) {
	if q.keys[0].at >= end {
		return 0, 0, false
	}
	at, idx = q.popIdx()
	return at, idx, true
}

// pop removes the earliest event and returns its time and body.
func (q *eventQueue) pop() (int64, evBody) {
	at, i := q.popIdx()
	b := q.bodies[i]
	q.release(i)
	return at, b
}

// popIdx removes the earliest event's key and returns its time and slab index; the body
// stays in place until release, so that the kernel handles it without copying. A push
// during that time may move the slab, but the old array keeps the body unchanged and its
// slot is not reused before release.
func (q *eventQueue) popIdx() (int64, int32) {
	last := len(q.keys) - 1
	if !q.heap {
		k := q.keys[last]
		q.keys = q.keys[:last]
		return k.at, k.idx()
	}
	k := q.keys[0]
	q.keys[0] = q.keys[last]
	q.keys = q.keys[:last]
	if last > 0 {
		q.down(0)
	}
	if last <= sortedMin {
		slices.SortFunc(q.keys, func(a, b evKey) int { return b.cmp(a) }) // latest first
		q.heap = false
	}
	return k.at, k.idx()
}

// release frees a popped event's slot.
func (q *eventQueue) release(i int32) {
	if b := &q.bodies[i]; b.msg.Payload != nil {
		b.msg.Payload = nil // drop the reference so that the GC can free it
	}
	q.free = append(q.free, i)
}

// up moves the newest key, at i, up the heap.
func (q *eventQueue) up(i int) {
	k := q.keys[i]
	for i > 0 {
		p := (i - 1) / 4
		if k.at >= q.keys[p].at { // k is the newest: it goes after a tie
			break
		}
		q.keys[i] = q.keys[p]
		i = p
	}
	q.keys[i] = k
}

func (q *eventQueue) down(i int) {
	n := len(q.keys)
	k := q.keys[i]
	for {
		c := 4*i + 1
		if c >= n {
			break
		}
		m := c
		end := c + 4
		if end > n {
			end = n
		}
		for j := c + 1; j < end; j++ {
			if q.keys[j].less(q.keys[m]) {
				m = j
			}
		}
		if !q.keys[m].less(k) {
			break
		}
		q.keys[i] = q.keys[m]
		i = m
	}
	q.keys[i] = k
}
