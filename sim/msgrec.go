package sim

import (
	"fmt"

	"github.com/leasesim/leasesim/history"
)

// msgRecorder records messages and clock pieces into the history when
// Config.RecordMessages asks for them. It is nil otherwise, and every hook is one nil
// check, so that ordinary runs pay nothing and their histories are unchanged.
type msgRecorder struct {
	// pieces holds each node's clock pieces (index: NodeID-1), to read a sender's clock
	// at the past moment its message left.
	pieces [][]clock
}

// recClockPiece records p's current clock piece starting now.
func (s *Sim) recClockPiece(p *proc) {
	r := s.rec
	c := p.clock
	// Start the piece now, so that its reading at now is exact.
	c.m0, c.t0 = c.mono(s.now), s.now
	r.pieces[p.id-1] = append(r.pieces[p.id-1], c)
	s.hist.Clocks = append(s.hist.Clocks, history.ClockPiece{Node: p.spec.Name, At: s.now,
		Mono: c.m0, Wall: c.m0 + c.offset, DriftPPB: c.ppb})
}

// monoAt returns node id's monotonic reading at true time t (t may be in the past).
func (r *msgRecorder) monoAt(id NodeID, t int64) int64 {
	ps := r.pieces[id-1]
	for i := len(ps) - 1; i > 0; i-- {
		if ps[i].t0 <= t {
			return ps[i].mono(t)
		}
	}
	return ps[0].mono(t)
}

// msgKind names a message's type: the protocol's MsgName, else its payload's Go type.
func (s *Sim) msgKind(m *Message) string {
	if s.cfg.MsgName != nil {
		if n := s.cfg.MsgName(m.Type); n != "" {
			return n
		}
	}
	if m.Payload != nil {
		return fmt.Sprintf("%T", m.Payload)
	}
	return fmt.Sprintf("type %d", m.Type)
}

// recMsg records m as delivered now, or dropped now for the reason why (non-empty).
// A message dropped as it was sent has not had its send time set: it is now.
func (s *Sim) recMsg(m *Message, why string) {
	if m.From <= 0 || int(m.From) > len(s.procs) || m.To <= 0 || int(m.To) > len(s.procs) {
		return // no such node: nothing a diagram can draw
	}
	sent := m.sent
	if why == "cut" || why == "lost" {
		sent = s.now
	}
	s.hist.Msgs = append(s.hist.Msgs, history.Msg{
		From: s.name(m.From), To: s.name(m.To), Kind: s.msgKind(m), Sent: sent, At: s.now,
		Dropped: why, SentClock: s.rec.monoAt(m.From, sent), AtClock: s.proc(m.To).clock.mono(s.now),
		Epoch: m.Epoch,
	})
}
