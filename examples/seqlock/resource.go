package seqlock

import "github.com/leasesim/leasesim/sim"

// resource is R: it accepts a write only if its sequencer is at least the highest it has
// accepted (durably).
type resource struct {
	highest uint64
}

func (r *resource) Start(env *sim.Env) {
	if v, ok := env.Durable().(uint64); ok {
		r.highest = v
	}
}

func (r *resource) Step(env *sim.Env, m sim.Message) {
	if m.Type != msgWrite {
		return
	}
	ok := m.Token >= r.highest
	if ok && m.Token > r.highest {
		r.highest = m.Token
		env.SetDurable(r.highest)
	}
	env.RecordWrite(m, ok)
}
