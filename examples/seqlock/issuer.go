package seqlock

import "github.com/leasesim/leasesim/sim"

// issuer is Q: it grants the lock and numbers the grants.
type issuer struct {
	cfg *config
	// seq is the last sequencer granted; it is durable, so that a restarted Q never
	// grants a sequencer twice.
	seq uint64
	// owner holds the lock until Q's monotonic clock reads expires.
	owner   sim.NodeID
	expires int64
	// quietUntil: after a start, Q grants nothing until then (a holder of the previous
	// incarnation may still hold the lock it has forgotten).
	quietUntil int64
}

func (q *issuer) Start(env *sim.Env) {
	if s, ok := env.Durable().(uint64); ok {
		q.seq = s
	}
	q.quietUntil = env.Mono() + q.cfg.lease + q.cfg.guard
}

func (q *issuer) Step(env *sim.Env, m sim.Message) {
	if m.Type != msgAcquire {
		return
	}
	now := env.Mono()
	switch {
	case q.owner == m.From && now < q.expires:
		// A renewal: the holder counts from its send, earlier than now.
	case now >= q.quietUntil && (q.owner == sim.NoNode || now >= q.expires):
		q.seq++
		env.SetDurable(q.seq)
		q.owner = m.From
	default:
		env.Send(sim.Message{Type: msgDeny, To: m.From, Seq: m.Seq, Epoch: q.seq, Subject: q.owner})
		return
	}
	q.expires = now + q.cfg.lease + q.cfg.guard
	env.Send(sim.Message{Type: msgGrant, To: m.From, Seq: m.Seq, Epoch: q.seq, Token: q.seq})
}
