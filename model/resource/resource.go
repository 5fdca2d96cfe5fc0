package resource

import "github.com/leasesim/leasesim/sim"

// MsgWrite is a write from a leader to R: Epoch is the grant the writer believes it
// holds, Token its fencing token (0 for none). Protocols must not use this type for
// anything else.
const MsgWrite sim.MsgType = sim.MsgUser + 200

// node is R's state machine.
type node struct {
	fenced bool
	newest uint64 // the newest token accepted (fenced only)
}

// New returns R's state machine: fenced checks tokens, unfenced accepts every write.
func New(fenced bool) func() sim.Node {
	return func() sim.Node { return &node{fenced: fenced} }
}

func (r *node) Start(env *sim.Env) {
	if v, ok := env.Durable().(uint64); ok {
		r.newest = v
	}
}

// Step handles a message; the kernel calls StepMessage instead.
func (r *node) Step(env *sim.Env, m sim.Message) { r.StepMessage(env, &m) }

// StepMessage handles one delivered message (sim.MessageStepper).
func (r *node) StepMessage(env *sim.Env, m *sim.Message) {
	if m.Type != MsgWrite {
		return
	}
	accepted := !r.fenced || m.Token >= r.newest
	if accepted && m.Token > r.newest {
		r.newest = m.Token
		env.SetDurable(r.newest)
	}
	env.RecordWrite(*m, accepted)
}

// Write sends one write to the run's resource, if it has one.
func Write(env *sim.Env, epoch, token uint64) {
	if r := env.Resource(); r != sim.NoNode {
		env.Send(sim.Message{Type: MsgWrite, To: r, Epoch: epoch, Token: token})
	}
}
