package resource_test

import (
	"slices"
	"testing"
	"time"

	"github.com/leasesim/leasesim/history"
	"github.com/leasesim/leasesim/model/resource"
	"github.com/leasesim/leasesim/sim"
)

const second = int64(time.Second)

// scripted is a writer that sends one write per second, the i-th carrying epochs[i] and,
// when fenced tokens are used, tokens[i].
type scripted struct {
	epochs, tokens []uint64
	next           int
}

func (w *scripted) Start(env *sim.Env) { env.After(second, sim.Message{Type: sim.MsgUser}) }

func (w *scripted) Step(env *sim.Env, m sim.Message) {
	if m.Type != sim.MsgUser || w.next >= len(w.epochs) {
		return
	}
	resource.Write(env, w.epochs[w.next], w.tokens[w.next])
	w.next++
	env.After(second, sim.Message{Type: sim.MsgUser})
}

// run sends the writes to a fenced or unfenced R (crashing and restarting R between the
// third and fourth write when crash is set) and returns what R recorded.
func run(t *testing.T, fenced, crash bool, epochs, tokens []uint64) []history.Write {
	t.Helper()
	cfg := sim.Config{
		Seed:     1,
		Duration: int64(len(epochs)+2) * second,
		Network:  sim.Network{Delay: sim.DelayDist{Kind: "fixed", Fixed: int64(time.Millisecond)}},
		Nodes: []sim.NodeSpec{
			{Name: "A", Role: sim.RoleHolder, New: func() sim.Node { return &scripted{epochs: epochs, tokens: tokens} }},
			{Name: "R", Role: sim.RoleResource, New: resource.New(fenced)},
		},
		Meta: history.Meta{Protocol: "resource-test"},
	}
	if crash {
		cfg.Faults = []sim.Fault{{Kind: sim.FaultCrash, Node: "R", At: 3*second + second/2, Until: 3*second + 3*second/4}}
	}
	h, err := sim.Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return h.Writes
}

func TestResource(t *testing.T) {
	tests := []struct {
		name          string
		fenced, crash bool
		epochs        []uint64
		tokens        []uint64
		want          []bool
	}{
		{"fenced rejects older tokens", true, false, []uint64{1, 2, 1, 3, 2, 3}, []uint64{1, 2, 1, 3, 2, 3}, []bool{true, true, false, true, false, true}},
		{"fenced keeps its newest token across a crash", true, true, []uint64{1, 2, 3, 1, 2, 4}, []uint64{1, 2, 3, 1, 2, 4}, []bool{true, true, true, false, false, true}},
		{"unfenced accepts every write", false, false, []uint64{1, 2, 1, 3, 2}, []uint64{0, 0, 0, 0, 0}, []bool{true, true, true, true, true}},
		{"unfenced ignores tokens too", false, false, []uint64{2, 1}, []uint64{2, 1}, []bool{true, true}},
		{"token 0 never beats a token", true, false, []uint64{1, 1}, []uint64{1, 0}, []bool{true, false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			writes := run(t, tt.fenced, tt.crash, tt.epochs, tt.tokens)
			if len(writes) != len(tt.want) {
				t.Fatalf("R recorded %d writes, want %d: %+v", len(writes), len(tt.want), writes)
			}
			var accepted []bool
			for i, w := range writes {
				accepted = append(accepted, w.Accepted)
				if w.Writer != "A" || w.Epoch != tt.epochs[i] || w.Token != tt.tokens[i] {
					t.Errorf("write %d recorded as %+v, want writer A epoch %d token %d", i, w, tt.epochs[i], tt.tokens[i])
				}
				if w.At < w.Sent {
					t.Errorf("write %d processed at %d before it was sent at %d", i, w.At, w.Sent)
				}
			}
			if !slices.Equal(accepted, tt.want) {
				t.Errorf("accepted %v, want %v", accepted, tt.want)
			}
		})
	}
}

// TestWriteWithoutResource: Write is a no-op in a run without R.
func TestWriteWithoutResource(t *testing.T) {
	h, err := sim.Run(sim.Config{Seed: 1, Duration: 3 * second,
		Nodes: []sim.NodeSpec{{Name: "A", Role: sim.RoleHolder, New: func() sim.Node {
			return &scripted{epochs: []uint64{1}, tokens: []uint64{1}}
		}}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Writes) != 0 || h.Meta.Messages != 0 {
		t.Errorf("writes %v, messages %d; want none", h.Writes, h.Meta.Messages)
	}
}
