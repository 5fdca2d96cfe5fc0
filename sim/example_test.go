package sim_test

import (
	"fmt"
	"time"

	"github.com/leasesim/leasesim/history"
	"github.com/leasesim/leasesim/sim"
)

// The messages of a minimal lock: a holder asks, the issuer grants the lock for good to
// the first one that asked.
const (
	msgAsk   sim.MsgType = sim.MsgUser + iota // holder -> Q
	msgGrant                                  // Q -> holder, Epoch: the grant
)

// issuer grants the lock once.
type issuer struct{ owner sim.NodeID }

func (q *issuer) Start(env *sim.Env) {}

func (q *issuer) Step(env *sim.Env, m sim.Message) {
	if m.Type == msgAsk && q.owner == sim.NoNode {
		q.owner = m.From
		env.Send(sim.Message{Type: msgGrant, To: m.From, Epoch: 1})
	}
}

// holder asks at a seeded moment and claims the lock when granted.
type holder struct{}

func (h *holder) Start(env *sim.Env) {
	env.After(env.Rand().Int64N(int64(time.Second)), sim.Message{Type: msgAsk})
}

func (h *holder) Step(env *sim.Env, m sim.Message) {
	switch m.Type {
	case msgAsk: // the timer set in Start
		env.Send(sim.Message{Type: msgAsk, To: env.Issuers()[0]})
	case msgGrant:
		env.ClaimForever(history.LeaderLease, m.Epoch)
	}
}

// Example runs two nodes' state machines directly in the kernel: a seeded, deterministic
// run whose history records who claimed the lock and when (true time).
func Example() {
	cfg := sim.Config{
		Seed:     7,
		Duration: int64(5 * time.Second),
		Nodes: []sim.NodeSpec{
			{Name: "Q", Role: sim.RoleIssuer, New: func() sim.Node { return &issuer{} }},
			{Name: "A", Role: sim.RoleHolder, New: func() sim.Node { return &holder{} }},
			{Name: "B", Role: sim.RoleHolder, New: func() sim.Node { return &holder{} }},
		},
		Network: sim.Network{Delay: sim.DelayDist{Kind: "fixed", Fixed: int64(2 * time.Millisecond)}},
	}
	h, err := sim.Run(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range h.Claims {
		fmt.Printf("%s claimed %s (epoch %d) from %v\n", c.Holder, c.Lease, c.Epoch, time.Duration(c.From))
	}
	// Output:
	// A claimed leader (epoch 1) from 860.400643ms
}
