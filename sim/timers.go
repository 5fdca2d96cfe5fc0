package sim

// timerSlot is one pending timer. id changes when the slot is reused, so that a stale
// TimerID cannot cancel a newer timer; evGen changes when the timer is rescheduled (its
// node's drift changed), so that the superseded queue entry is skipped. The timer's
// message lives in the body of its current queue entry (body), not here: it is written
// once when the timer is set and delivered from there, never copied in between.
type timerSlot struct {
	active   bool
	node     NodeID
	id       uint32
	evGen    uint32
	body     int32 // the slab index of the current queue entry
	deadline int64 // local monotonic reading at which it fires
}

// timerTable is the slab of timers of all nodes.
type timerTable struct {
	slots []timerSlot
	free  []int32
}

func timerID(slot int32, id uint32) TimerID { return TimerID(uint64(id)<<32 | uint64(uint32(slot))) }

func (t *timerTable) add(node NodeID, deadline int64) (int32, *timerSlot) {
	var i int32
	if n := len(t.free); n > 0 {
		i = t.free[n-1]
		t.free = t.free[:n-1]
	} else {
		i = int32(len(t.slots))
		t.slots = append(t.slots, timerSlot{})
	}
	sl := &t.slots[i]
	sl.active, sl.node, sl.deadline = true, node, deadline
	sl.id++
	sl.evGen++
	return i, sl
}

func (t *timerTable) release(i int32) {
	sl := &t.slots[i]
	sl.active = false
	t.free = append(t.free, i)
}

// cancel cancels the timer id if it is still pending; it reports whether it was.
func (t *timerTable) cancel(node NodeID, id TimerID) bool {
	i := int32(uint32(id))
	if i < 0 || int(i) >= len(t.slots) {
		return false
	}
	sl := &t.slots[i]
	if !sl.active || sl.node != node || sl.id != uint32(id>>32) {
		return false
	}
	t.release(i)
	return true
}

// fire reports whether the queue entry (slot, evGen) is still current, and then frees
// the slot: the entry's body holds the message to deliver.
func (t *timerTable) fire(i int32, evGen uint32) bool {
	sl := &t.slots[i]
	if !sl.active || sl.evGen != evGen {
		return false
	}
	t.release(i)
	return true
}

// cancelNode cancels every timer of a node (it crashed).
func (t *timerTable) cancelNode(node NodeID) {
	for i := range t.slots {
		if t.slots[i].active && t.slots[i].node == node {
			t.release(int32(i))
		}
	}
}

// setTimer schedules m to come back to p when p's monotonic clock has advanced by d.
func (s *Sim) setTimer(p *proc, d int64, m *Message) TimerID {
	if d < 0 {
		d = 0
	}
	deadline := p.clock.mono(s.now) + d
	i, sl := s.timers.add(p.id, deadline)
	bi, b := s.q.alloc()
	b.msg = *m // not in the parallel assignment, which would copy *m to the stack first
	b.kind, b.node, b.slot, b.gen = evTimer, p.id, i, sl.evGen
	b.msg.From, b.msg.To = p.id, p.id
	sl.body = bi
	at, q := p.clock.trueAt(Mono, deadline, s.now), &s.q
	if q.w == nil && bi < 1<<idxBits { // pushKey's sorted path, written out as in pushMsg
		q.seq++
		q.insert(evKey{at: at, sk: q.seq<<idxBits | uint64(bi)})
		if len(q.keys) > sortedMax {
			q.toWheel()
		}
	} else {
		q.pushKey(at, bi)
	}
	return timerID(i, sl.id)
}

// rescheduleTimers recomputes the true firing time of p's timers after its drift changed.
func (s *Sim) rescheduleTimers(p *proc) {
	for i := range s.timers.slots {
		sl := &s.timers.slots[i]
		if sl.active && sl.node == p.id {
			// A new queue entry with a copy of the message; the old one is skipped when
			// it pops (its gen is stale) and its body freed then.
			sl.evGen++
			bi, b := s.q.alloc()
			*b = s.q.bodies[sl.body]
			b.gen = sl.evGen
			sl.body = bi
			s.q.pushKey(p.clock.trueAt(Mono, sl.deadline, s.now), bi)
		}
	}
}
