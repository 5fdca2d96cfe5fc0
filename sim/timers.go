package sim

// timerSlot is one pending timer. id changes when the slot is reused, so that a stale
// TimerID cannot cancel a newer timer; evGen changes when the timer is rescheduled (its
// node's drift changed), so that the superseded queue entry is skipped.
type timerSlot struct {
	active   bool
	node     NodeID
	id       uint32
	evGen    uint32
	deadline int64 // local monotonic reading at which it fires
	msg      Message
}

// timerTable is the slab of timers of all nodes.
type timerTable struct {
	slots []timerSlot
	free  []int32
}

func timerID(slot int32, id uint32) TimerID { return TimerID(uint64(id)<<32 | uint64(uint32(slot))) }

func (t *timerTable) add(node NodeID, deadline int64, m Message) (int32, *timerSlot) {
	var i int32
	if n := len(t.free); n > 0 {
		i = t.free[n-1]
		t.free = t.free[:n-1]
	} else {
		i = int32(len(t.slots))
		t.slots = append(t.slots, timerSlot{})
	}
	sl := &t.slots[i]
	sl.active, sl.node, sl.deadline, sl.msg = true, node, deadline, m
	sl.id++
	sl.evGen++
	return i, sl
}

func (t *timerTable) release(i int32) {
	sl := &t.slots[i]
	sl.active = false
	sl.msg = Message{}
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

// fire returns the timer's message if the queue entry (slot, evGen) is still current, and
// frees the slot.
func (t *timerTable) fire(i int32, evGen uint32) (Message, bool) {
	sl := &t.slots[i]
	if !sl.active || sl.evGen != evGen {
		return Message{}, false
	}
	m := sl.msg
	t.release(i)
	return m, true
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
func (s *Sim) setTimer(p *proc, d int64, m Message) TimerID {
	if d < 0 {
		d = 0
	}
	m.From, m.To = p.id, p.id
	deadline := p.clock.mono(s.now) + d
	i, sl := s.timers.add(p.id, deadline, m)
	s.q.push(p.clock.trueAt(Mono, deadline, s.now), evBody{kind: evTimer, node: p.id, slot: i, gen: sl.evGen})
	return timerID(i, sl.id)
}

// rescheduleTimers recomputes the true firing time of p's timers after its drift changed.
func (s *Sim) rescheduleTimers(p *proc) {
	for i := range s.timers.slots {
		sl := &s.timers.slots[i]
		if sl.active && sl.node == p.id {
			sl.evGen++
			s.q.push(p.clock.trueAt(Mono, sl.deadline, s.now), evBody{kind: evTimer, node: p.id, slot: int32(i), gen: sl.evGen})
		}
	}
}
