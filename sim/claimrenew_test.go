package sim

import (
	"testing"

	"github.com/leasesim/leasesim/history"
)

// renewer claims lease "L" under epoch 1 at the times of its script (its monotonic
// clock, no drift), each time until the deadline given.
type renewer struct{ script [][2]int64 } // {at, until}

func (r *renewer) Start(env *Env) {
	for i, s := range r.script {
		env.After(s[0], Message{Type: MsgUser, Seq: uint64(i)})
	}
}

func (r *renewer) Step(env *Env, m Message) {
	env.Claim("L", 1, Mono, r.script[m.Seq][1])
}

// TestClaimRenewalMovesDeadline checks that renewing a claim under the same epoch moves
// its end to the deadline of the last renewal, later or earlier, once or several times
// (a renewal with a later deadline keeps the end event already queued).
func TestClaimRenewalMovesDeadline(t *testing.T) {
	tests := []struct {
		name   string
		script [][2]int64
		end    int64
	}{
		{"one claim", [][2]int64{{1 * sec, 5 * sec}}, 5 * sec},
		{"renewed later", [][2]int64{{1 * sec, 5 * sec}, {2 * sec, 8 * sec}}, 8 * sec},
		{"renewed earlier", [][2]int64{{1 * sec, 5 * sec}, {2 * sec, 3 * sec}}, 3 * sec},
		{"renewed to the same deadline", [][2]int64{{1 * sec, 5 * sec}, {2 * sec, 5 * sec}}, 5 * sec},
		{"later, later, then earlier", [][2]int64{{1 * sec, 5 * sec}, {2 * sec, 9 * sec}, {3 * sec, 12 * sec}, {4 * sec, 6 * sec}}, 6 * sec},
		{"renewed later after the first end was due", [][2]int64{{1 * sec, 5 * sec}, {4 * sec, 7 * sec}, {6 * sec, 10 * sec}}, 10 * sec},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := Run(Config{Seed: 1, Duration: 20 * sec, Nodes: []NodeSpec{
				{Name: "A", Role: RoleHolder, New: func() Node { return &renewer{script: tt.script} }},
			}})
			if err != nil {
				t.Fatal(err)
			}
			if len(h.Claims) != 1 {
				t.Fatalf("claims %+v, want one", h.Claims)
			}
			c := h.Claims[0]
			if c.From != tt.script[0][0] || c.To != tt.end || c.End != history.EndDeadline {
				t.Errorf("claim from %d to %d (%s), want from %d to %d at its deadline", c.From, c.To, c.End, tt.script[0][0], tt.end)
			}
		})
	}
}
