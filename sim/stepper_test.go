package sim_test

import (
	"testing"
	"time"

	"github.com/leasesim/leasesim/history"
	"github.com/leasesim/leasesim/sim"
)

// pointerIssuer and pointerHolder are the example's lock (example_test.go) as
// sim.MessageStepper nodes whose Step must never be called.
type pointerIssuer struct{ issuer }

func (q *pointerIssuer) Step(*sim.Env, sim.Message) {
	panic("the kernel called Step of a MessageStepper")
}

func (q *pointerIssuer) StepMessage(env *sim.Env, m *sim.Message) { q.issuer.Step(env, *m) }

type pointerHolder struct {
	holder
	got int
}

func (h *pointerHolder) Step(*sim.Env, sim.Message) {
	panic("the kernel called Step of a MessageStepper")
}

func (h *pointerHolder) StepMessage(env *sim.Env, m *sim.Message) {
	h.got++
	h.holder.Step(env, *m)
}

// TestMessageStepperGetsEveryMessage: a node that is a sim.MessageStepper receives every
// message and timer through StepMessage — delivered ones, and those that waited in a
// paused node's inbox — and the run is the same as with Step (the example's claim).
func TestMessageStepperGetsEveryMessage(t *testing.T) {
	holders := map[string]*pointerHolder{}
	spec := func(name string) sim.NodeSpec {
		return sim.NodeSpec{Name: name, Role: sim.RoleHolder, New: func() sim.Node {
			h := &pointerHolder{}
			holders[name] = h
			return h
		}}
	}
	for _, pause := range []bool{false, true} {
		cfg := sim.Config{
			Seed:     7,
			Duration: int64(5 * time.Second),
			Nodes: []sim.NodeSpec{
				{Name: "Q", Role: sim.RoleIssuer, New: func() sim.Node { return &pointerIssuer{} }},
				spec("A"), spec("B"),
			},
			Network: sim.Network{Delay: sim.DelayDist{Kind: "fixed", Fixed: int64(2 * time.Millisecond)}},
		}
		want := int64(860400643) // Example's "A claimed leader (epoch 1) from 860.400643ms"
		if pause {
			// A is paused while its grant arrives: it reaches A from the inbox at 1s.
			cfg.Faults = []sim.Fault{{Kind: sim.FaultPause, Node: "A", At: 858e6, Until: 1e9}}
			want = 1e9
		}
		h, err := sim.Run(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if len(h.Claims) != 1 || h.Claims[0].Holder != "A" || h.Claims[0].Lease != history.LeaderLease || h.Claims[0].From != want {
			t.Errorf("pause %v: claims %+v; want A's claim on the lock from %v", pause, h.Claims, time.Duration(want))
		}
		if holders["A"].got != 2 || holders["B"].got != 1 {
			t.Errorf("pause %v: StepMessage got %d messages at A, %d at B; want 2 (its timer, the grant) and 1 (its timer)", pause, holders["A"].got, holders["B"].got)
		}
	}
}
