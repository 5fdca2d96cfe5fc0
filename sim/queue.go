package sim

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

// eventQueue is a 4-ary min-heap of keys plus the slab of bodies they point to.
type eventQueue struct {
	keys   []evKey
	bodies []evBody
	free   []int32
	seq    uint64
}

func (q *eventQueue) len() int { return len(q.keys) }

// push schedules body at true time at.
func (q *eventQueue) push(at int64, b evBody) {
	var idx int32
	if n := len(q.free); n > 0 {
		idx = q.free[n-1]
		q.free = q.free[:n-1]
		q.bodies[idx] = b
	} else {
		idx = int32(len(q.bodies))
		q.bodies = append(q.bodies, b)
	}
	q.pushKey(at, idx)
}

func (q *eventQueue) pushKey(at int64, idx int32) {
	if idx >= 1<<idxBits {
		panic("sim: more than 16M events pending at once")
	}
	q.seq++
	q.keys = append(q.keys, evKey{at: at, sk: q.seq<<idxBits | uint64(idx)})
	q.up(len(q.keys) - 1)
}

// pushMsg schedules the delivery of a copy of m at true time at, writing it straight
// into the slab (messages are the most frequent events; this saves copies).
func (q *eventQueue) pushMsg(at int64, kind evKind, m *Message) {
	var idx int32
	if n := len(q.free); n > 0 {
		idx = q.free[n-1]
		q.free = q.free[:n-1]
	} else {
		idx = int32(len(q.bodies))
		q.bodies = append(q.bodies, evBody{})
	}
	b := &q.bodies[idx]
	b.kind, b.node, b.slot, b.gen, b.msg = kind, m.To, 0, 0, *m
	q.pushKey(at, idx)
}

// peekTime returns the time of the earliest event; the queue must not be empty.
func (q *eventQueue) peekTime() int64 { return q.keys[0].at }

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
	k := q.keys[0]
	last := len(q.keys) - 1
	q.keys[0] = q.keys[last]
	q.keys = q.keys[:last]
	if last > 0 {
		q.down(0)
	}
	return k.at, k.idx()
}

// release frees a popped event's slot.
func (q *eventQueue) release(i int32) {
	q.bodies[i].msg.Payload = nil // drop the reference so that the GC can free it
	q.free = append(q.free, i)
}

func (q *eventQueue) up(i int) {
	k := q.keys[i]
	for i > 0 {
		p := (i - 1) / 4
		if !k.less(q.keys[p]) {
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
