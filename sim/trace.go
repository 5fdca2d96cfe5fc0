package sim

import (
	"fmt"
	"io"
	"math/bits"
	"time"
)

// tracer writes the readable transcript of a run.
type tracer struct {
	w       io.Writer
	msgName MsgNamer
}

// fmtTime formats a true time or duration in nanoseconds as a Go duration.
func fmtTime(ns int64) string { return time.Duration(ns).String() }

func (s *Sim) name(id NodeID) string {
	if p := s.procOf(id); p != nil {
		return p.spec.Name
	}
	return "-"
}

func (s *Sim) msgString(m Message) string {
	name := fmt.Sprint(m.Type)
	if s.tracer.msgName != nil {
		name = s.tracer.msgName(m.Type)
	}
	str := fmt.Sprintf("%s->%s %s", s.name(m.From), s.name(m.To), name)
	if m.Epoch != 0 {
		str += fmt.Sprintf(" epoch=%d", m.Epoch)
	}
	if m.Seq != 0 {
		str += fmt.Sprintf(" seq=%d", m.Seq)
	}
	if m.Token != 0 {
		str += fmt.Sprintf(" token=%d", m.Token)
	}
	if m.Subject != NoNode {
		str += " subject=" + s.name(m.Subject)
	}
	if m.Time != 0 {
		str += fmt.Sprintf(" time=%d", m.Time)
	}
	return str
}

// traceEvent adds a processed event to the trace hash and, if a transcript is being
// written, a line to it.
func (s *Sim) traceEvent(b *evBody) {
	s.hashEvent(b)
	if s.tracer != nil {
		s.traceText(b)
	}
}

// hashEvent adds a processed event to the trace hash: one word, eventWord.
func (s *Sim) hashEvent(b *evBody) { s.hash.Int(int64(eventWord(s.now, b))) }

// eventWord folds an event into one word for the trace hash: its time; its kind, node,
// message type and sender, packed and multiplied by an odd constant; and every number
// the message carries (Subject, Epoch, Seq, Token, Time), each multiplied by its own, so
// that a change in any field, or a value moved from one field to another, changes the
// word (TestEventWordSeesEveryField). The message's To
// is left out: for every event hashed here it is the event's node (a delivery's
// destination, a timer's own node) or 0. Node ids below 2^20 stay distinct.
//
// One word per event puts one step per event on the hash's serial chain
// (TraceHasher.Int), where the four words hashed until 2026-12-07 put four; the
// multiplies here depend neither on each other nor on the chain. It inlines (cost 80 of
// the compiler's budget of 80) into stepEvent, where nearly every event is hashed: keep
// it that small.
func eventWord(now int64, b *evBody) uint64 {
	m := &b.msg
	ids := uint64(b.kind)<<56 | uint64(m.Type)<<40 | uint64(b.node)<<20 | uint64(m.From)
	nums := m.Epoch*0x9e3779b97f4a7c15 ^ m.Seq*0x27d4eb2f165667c5 ^ uint64(m.Subject)*0xd6e8feb86659fd93 ^
		bits.RotateLeft64(m.Token*0xc2b2ae3d27d4eb4f^uint64(m.Time)*0x165667b19e3779f9, 32)
	return uint64(now) ^ bits.RotateLeft64(ids*0xff51afd7ed558ccd, 21) ^ bits.RotateLeft64(nums, 42)
}

// traceText writes a processed event's line to the transcript.
func (s *Sim) traceText(b *evBody) {
	m := &b.msg
	var text string
	switch b.kind {
	case evStart:
		text = "start " + s.name(b.node)
	case evClaimEnd:
		text = "claim ends at deadline: " + s.name(b.node) + " " + s.proc(b.node).claims[b.slot].lease
	case evTimer:
		text = "timer " + s.msgString(*m)
	default:
		text = b.kind.String() + " " + s.msgString(*m)
	}
	fmt.Fprintf(s.tracer.w, "%14s  %s\n", fmtTime(s.now), text)
}

// traceDrop records a message the network or a dead node dropped.
func (s *Sim) traceDrop(m Message, why string) {
	if s.rec != nil {
		s.recMsg(&m, why)
	}
	s.hash.Int(s.now)
	s.hash.Int(-1)
	s.hash.Int(int64(m.Type)<<32 | int64(uint32(m.From)))
	s.hash.Int(int64(m.To))
	if s.tracer != nil {
		fmt.Fprintf(s.tracer.w, "%14s  drop %s (%s)\n", fmtTime(s.now), s.msgString(m), why)
	}
}

// traceNote adds a line that is not an event: a node's log, a resource's write.
func (s *Sim) traceNote(id NodeID, text string) {
	if s.tracer != nil {
		fmt.Fprintf(s.tracer.w, "%14s  %s: %s\n", fmtTime(s.now), s.name(id), text)
	}
}

func (s *Sim) traceFault(i int, note string) {
	if s.tracer == nil {
		return
	}
	f := &s.faults[i]
	line := "fault " + f.describe(s)
	if note != "" {
		line += " " + note
	}
	if f.Until > 0 && note == "" && f.Kind != FaultClockStep && f.Kind != FaultDrift {
		line += " until " + fmtTime(f.Until)
	}
	fmt.Fprintf(s.tracer.w, "%14s  %s\n", fmtTime(s.now), line)
}
