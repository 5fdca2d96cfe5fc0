package sim

import (
	"math"
	"math/bits"
	"slices"
)

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
// it, which are few. Beyond sortedMax (a thousand leases pending, etcd-keys-own-leases:
// some 1,600 events, a thousand of them claim ends seconds away) an insertion would move
// hundreds of keys, and the queue becomes a timing wheel (wheel), which stays one until
// the queue shrinks to sortedMin. Keys are totally ordered (sequence numbers are unique),
// so both forms pop events in exactly the same order.
type eventQueue struct {
	// keys are sorted latest first: every pending key in the sorted form; in the wheel
	// form, those due before the wheel's current window ends (wheel.end).
	keys   []evKey
	w      *wheel // the wheel form's other keys; nil in the sorted form
	bodies []evBody
	free   []int32
	seq    uint64
	// spare is the wheel of an earlier wheel form, kept to be used again.
	spare *wheel
}

// sortedMax and sortedMin bound the sorted form: the keys become a wheel when a push
// makes more than sortedMax pending, and sorted again when a pop leaves sortedMin. The
// gap keeps a queue hovering near either bound from converting back and forth.
const (
	sortedMax = 32
	sortedMin = 16
)

func (q *eventQueue) len() int {
	if q.w != nil {
		return len(q.keys) + q.w.n
	}
	return len(q.keys)
}

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
	if q.w != nil {
		q.pushWheel(k)
		return
	}
	q.insert(k)
	if len(q.keys) > sortedMax {
		q.toWheel()
	}
}

// insert puts k, the newest key, into q.keys in order.
func (q *eventQueue) insert(k evKey) {
	// k has the highest sequence number of all pending keys, so a pending key comes
	// before it exactly when its time is not later: one comparison per key. Move the
	// keys due before k one place up, and put k below the rest.
	q.keys = append(q.keys, k)
	keys := q.keys
	j := len(keys) - 1
	for j > 0 && keys[j-1].at <= k.at {
		keys[j] = keys[j-1]
		j--
	}
	keys[j] = k
}

// pushWheel is pushKey's part for the wheel form: k goes to q.keys when it falls due
// in the current window, else to the wheel. (A call of its own keeps pushKey's sorted
// path as short as it was before the wheel: the reference run never has a wheel.)
func (q *eventQueue) pushWheel(k evKey) {
	if k.at >= q.w.end {
		q.w.add(k)
		return
	}
	q.insert(k)
}

// pushMsg schedules the delivery of a copy of m at true time at, writing it straight
// into the slab (messages are the most frequent events; this saves copies).
func (q *eventQueue) pushMsg(at int64, kind evKind, m *Message) {
	idx, b := q.alloc()
	// One field at a time: a parallel assignment copies *m to the stack first.
	b.msg = *m
	b.kind, b.node, b.slot, b.gen = kind, m.To, 0, 0
	// pushKey's sorted path, written out: pushKey does not inline, and on the path of
	// nearly every event the call cost as much as the insertion (setTimer likewise).
	if q.w == nil && idx < 1<<idxBits {
		q.seq++
		q.insert(evKey{at: at, sk: q.seq<<idxBits | uint64(idx)})
		if len(q.keys) > sortedMax {
			q.toWheel()
		}
		return
	}
	q.pushKey(at, idx)
}

// peekTime returns the time of the earliest event; the queue must not be empty.
func (q *eventQueue) peekTime() int64 {
	if len(q.keys) == 0 {
		q.refill()
	}
	return q.keys[len(q.keys)-1].at
}

// popBefore removes the earliest event if it falls due before end, and returns its time
// and slab index as popIdx does; ok is false, and the queue unchanged, otherwise.
func (q *eventQueue) popBefore(end int64) (at int64, idx int32, ok bool) {
	if q.w != nil {
		return q.popWheelBefore(end)
	}
	last := len(q.keys) - 1
	if last < 0 {
		return 0, 0, false
	}
	k := q.keys[last]
	if k.at >= end {
		return 0, 0, false
	}
	q.keys = q.keys[:last]
	return k.at, k.idx(), true
}

// popWheelBefore is popBefore for the wheel form.
func (q *eventQueue) popWheelBefore(end int64) (at int64, idx int32, ok bool) {
	if len(q.keys) == 0 && !q.refill() {
		return 0, 0, false
	}
	last := len(q.keys) - 1
	k := q.keys[last]
	if k.at >= end {
		return 0, 0, false
	}
	q.keys = q.keys[:last]
	if last+q.w.n <= sortedMin {
		q.toSorted()
	}
	return k.at, k.idx(), true
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
// slot is not reused before release. The queue must not be empty.
func (q *eventQueue) popIdx() (int64, int32) {
	at, idx, ok := q.popBefore(math.MaxInt64)
	if !ok {
		panic("sim: pop from an empty event queue")
	}
	return at, idx
}

// release frees a popped event's slot.
func (q *eventQueue) release(i int32) {
	if b := &q.bodies[i]; b.msg.Payload != nil {
		b.msg.Payload = nil // drop the reference so that the GC can free it
	}
	q.free = append(q.free, i)
}

// toWheel turns the sorted form into the wheel form, its current window ending at the
// earliest key (so that every key goes to the wheel, and the first pop refills).
func (q *eventQueue) toWheel() {
	w := q.spare
	if w == nil {
		w = &wheel{}
	}
	q.spare = nil
	w.setWindow(q.keys[len(q.keys)-1].at >> wheelShift)
	for _, k := range q.keys {
		w.add(k)
	}
	q.keys = q.keys[:0]
	q.w = w
}

// toSorted turns the wheel form, now with few keys, back into the sorted form.
func (q *eventQueue) toSorted() {
	w := q.w
	for b := range w.heads {
		q.keys = w.take(int64(b), q.keys)
	}
	q.keys = append(q.keys, w.far...)
	w.far = w.far[:0]
	w.bits = [wheelSize / 64]uint64{}
	w.n = 0
	sortLatestFirst(q.keys)
	q.w, q.spare = nil, w
}

// refill makes the wheel's next non-empty window the current one: its keys, sorted,
// become q.keys, which must be empty. It reports false when the queue is empty.
func (q *eventQueue) refill() bool {
	w := q.w
	if w == nil || w.n == 0 {
		return false
	}
	if w.inBuckets == 0 {
		w.setWindow(w.far[0].at >> wheelShift) // every bucket is empty: skip to the far keys
		w.migrate()
	}
	win := w.next()
	q.keys = w.take(win, q.keys[:0])
	sortLatestFirst(q.keys)
	w.setWindow(win + 1)
	w.migrate()
	return true
}

// wheelShift and wheelSize shape the wheel: a window (a bucket's span) of 2^20 ns of
// true time (1.05ms), and 8,192 buckets, so that the wheel holds the keys due in the next
// 8.8s (deliveries, the issuer's queued requests, ticks, and the claim ends of a 5s TTL)
// and a heap the rarer later ones. On etcd-keys-own-leases this shape took 7% fewer
// instructions than 2^18 ns × 4,096 (whose heap held the claim ends), with as many cache
// misses (valgrind --tool=cachegrind).
const (
	wheelShift = 20
	wheelSize  = 8192
)

// wheel holds the keys of the wheel form that are due at or after the current window's
// end: those of the next wheelSize windows in buckets, one per window (window w, the
// times [w<<wheelShift, (w+1)<<wheelShift), in bucket w mod wheelSize), unsorted; the
// later ones in far, a 4-ary min-heap. A push thus appends a key to a bucket, and a
// bucket is sorted once, when its window becomes the current one. Keys only move
// forward (a push is never due before the latest pop), so the queue's order is the
// keys' order whatever the form.
type wheel struct {
	win int64 // the first window the buckets hold: the one after the current one
	end int64 // the current window's end, win<<wheelShift
	// A bucket is a list of nodes: heads[b] is the index+1 of its first (0: empty),
	// and each node's next that of the following one. Nodes come from one slice and
	// go back to a free list (freeNode, index+1), so that buckets cost no allocation
	// once the slice has grown to the most keys the buckets held at once.
	heads    [wheelSize]int32
	nodes    []wheelNode
	freeNode int32
	bits     [wheelSize / 64]uint64 // which buckets are non-empty
	far      []evKey
	// n counts the keys of buckets and far, inBuckets those of buckets.
	n, inBuckets int
}

// wheelNode is a key in a bucket.
type wheelNode struct {
	k    evKey
	next int32
}

// setWindow makes win the first window of the buckets. The buckets of the windows it
// skips must be empty.
func (w *wheel) setWindow(win int64) {
	w.win, w.end = win, win<<wheelShift
}

// add adds k, due at or after w.end.
func (w *wheel) add(k evKey) {
	w.n++
	win := k.at >> wheelShift
	if win-w.win >= wheelSize {
		w.far = append(w.far, k)
		up(w.far, len(w.far)-1)
		return
	}
	w.inBuckets++
	b := win & (wheelSize - 1)
	i := w.freeNode
	if i == 0 {
		w.nodes = append(w.nodes, wheelNode{})
		i = int32(len(w.nodes))
	} else {
		w.freeNode = w.nodes[i-1].next
	}
	w.nodes[i-1] = wheelNode{k: k, next: w.heads[b]}
	w.heads[b] = i
	w.bits[b/64] |= 1 << (b & 63)
}

// take appends the keys of window win's bucket to keys, empties the bucket and returns
// keys.
func (w *wheel) take(win int64, keys []evKey) []evKey {
	b := win & (wheelSize - 1)
	i := w.heads[b]
	if i == 0 {
		return keys
	}
	n := len(keys)
	for {
		nd := &w.nodes[i-1]
		keys = append(keys, nd.k)
		if nd.next == 0 {
			nd.next = w.freeNode // the whole list joins the free list
			break
		}
		i = nd.next
	}
	w.freeNode = w.heads[b]
	w.heads[b] = 0
	w.bits[b/64] &^= 1 << (b & 63)
	w.n -= len(keys) - n
	w.inBuckets -= len(keys) - n
	return keys
}

// migrate moves the far keys whose windows the buckets now cover into their buckets.
func (w *wheel) migrate() {
	for len(w.far) > 0 && (w.far[0].at>>wheelShift)-w.win < wheelSize {
		k := w.far[0]
		last := len(w.far) - 1
		w.far[0] = w.far[last]
		w.far = w.far[:last]
		if last > 0 {
			down(w.far, 0)
		}
		w.n--
		w.add(k)
	}
}

// next returns the first window, from w.win on, whose bucket is non-empty; there must
// be one.
func (w *wheel) next() int64 {
	start := int(w.win & (wheelSize - 1))
	i := start / 64
	word := w.bits[i] &^ (1<<(start&63) - 1) // the buckets before start are later windows
	for steps := 0; ; steps++ {
		if word != 0 {
			b := int64(i*64 + bits.TrailingZeros64(word))
			return w.win + (b-int64(start))&(wheelSize-1)
		}
		i = (i + 1) % len(w.bits)
		word = w.bits[i]
		if steps == len(w.bits) {
			panic("sim: the event wheel counts keys but has none")
		}
	}
}

// sortLatestFirst sorts keys latest first, the order of q.keys.
func sortLatestFirst(keys []evKey) {
	if len(keys) <= 12 {
		for i := 1; i < len(keys); i++ {
			k := keys[i]
			j := i
			for j > 0 && keys[j-1].less(k) {
				keys[j] = keys[j-1]
				j--
			}
			keys[j] = k
		}
		return
	}
	slices.SortFunc(keys, func(a, b evKey) int { return b.cmp(a) })
}

// up moves the key at i of heap h up the heap.
func up(h []evKey, i int) {
	k := h[i]
	for i > 0 {
		p := (i - 1) / 4
		if !k.less(h[p]) {
			break
		}
		h[i] = h[p]
		i = p
	}
	h[i] = k
}

// down moves the key at i of heap h down the heap.
func down(h []evKey, i int) {
	n := len(h)
	k := h[i]
	for {
		c := 4*i + 1
		if c >= n {
			break
		}
		m := c
		end := min(c+4, n)
		for j := c + 1; j < end; j++ {
			if h[j].less(h[m]) {
				m = j
			}
		}
		if !h[m].less(k) {
			break
		}
		h[i] = h[m]
		i = m
	}
	h[i] = k
}
