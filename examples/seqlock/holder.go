package seqlock

import (
	"github.com/leasesim/leasesim/history"
	"github.com/leasesim/leasesim/sim"
)

// sent is a request the holder sent and when, on its monotonic clock.
type sent struct {
	seq uint64
	at  int64
}

// holder is one of A, B, C: it wants the lock and writes to R while it holds it.
type holder struct {
	cfg  *config
	next uint64
	sent []sent
	// seq is the sequencer of the lock the holder believes it holds (0: none), valid
	// while its monotonic clock reads less than deadline.
	seq      uint64
	deadline int64
	forever  bool // Broken: holds until told otherwise
}

func (h *holder) Start(env *sim.Env) {
	// Request numbers start at a random point in every incarnation, so that an answer
	// to the previous incarnation's request never matches a new one.
	h.next = env.Rand().Uint64() >> 1
	env.After(env.Rand().Int64N(h.cfg.renew), sim.Message{Type: msgRenewTick})
	if env.Resource() != sim.NoNode {
		env.After(env.Rand().Int64N(h.cfg.writeEvery)+1, sim.Message{Type: msgWriteTick})
	}
}

func (h *holder) Step(env *sim.Env, m sim.Message) {
	switch m.Type {
	case msgRenewTick:
		h.next++
		h.prune(env.Mono())
		h.sent = append(h.sent, sent{seq: h.next, at: env.Mono()})
		env.Send(sim.Message{Type: msgAcquire, To: env.Issuers()[0], Seq: h.next})
		env.After(h.cfg.renew, sim.Message{Type: msgRenewTick})
	case msgWriteTick:
		if h.holds(env) {
			env.Send(sim.Message{Type: msgWrite, To: env.Resource(), Epoch: h.seq, Token: h.seq})
		}
		env.After(h.cfg.writeEvery, sim.Message{Type: msgWriteTick})
	case msgGrant:
		h.granted(env, m)
	case msgDeny:
		if h.seq != 0 && m.Subject != env.ID() && m.Epoch > h.seq {
			h.seq, h.forever = 0, false
			env.Release(history.LeaderLease)
		}
	}
}

func (h *holder) holds(env *sim.Env) bool {
	return h.seq != 0 && (h.forever || env.Mono() < h.deadline)
}

// granted takes a grant: the lease runs from the request's send, minus the guard.
func (h *holder) granted(env *sim.Env, m sim.Message) {
	h.prune(env.Mono())
	at, ok := h.sentAt(m.Seq)
	if !ok || m.Epoch < h.seq {
		return // an answer too old to count from, or an older grant
	}
	deadline := at + h.cfg.lease - h.cfg.guard
	if m.Epoch == h.seq && deadline < h.deadline {
		deadline = h.deadline // a late answer never shortens the lease
	}
	h.seq, h.deadline = m.Epoch, deadline
	if h.cfg.ignoresDeadline {
		h.forever = true
		env.ClaimForever(history.LeaderLease, h.seq)
		return
	}
	if env.Mono() < deadline {
		env.Claim(history.LeaderLease, h.seq, sim.Mono, deadline)
	}
}

func (h *holder) sentAt(seq uint64) (int64, bool) {
	for _, s := range h.sent {
		if s.seq == seq {
			return s.at, true
		}
	}
	return 0, false
}

// prune forgets requests sent lease - guard ago or more: a grant of one could only give
// a deadline already past.
func (h *holder) prune(now int64) {
	i := 0
	for i < len(h.sent) && now-h.sent[i].at >= h.cfg.lease-h.cfg.guard {
		i++
	}
	h.sent = h.sent[i:]
}
