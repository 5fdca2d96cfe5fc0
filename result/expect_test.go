package result

import (
	"testing"
	"time"
)

func TestEvaluate(t *testing.T) {
	outcome := func(seed uint64, violated string, gap time.Duration, unknown bool) SeedOutcome {
		o := SeedOutcome{Seed: seed, Violated: map[string]bool{}, Metrics: map[string]float64{"max_gap": float64(gap)}, Unknown: unknown}
		if violated != "" {
			o.Violated[violated] = true
		}
		return o
	}
	gap := Bound{Metric: "max_gap", Op: "<=", Value: float64(10 * time.Second), Text: "10s"}
	tests := []struct {
		name   string
		expect Expect
		outs   []SeedOutcome
		want   map[string]bool // key → met
		seed   map[string]uint64
	}{
		{"holds everywhere", Expect{Properties: map[string]string{"p1": "holds"}, Bounds: []Bound{gap}},
			[]SeedOutcome{outcome(1, "", time.Second, false), outcome(2, "", 3*time.Second, false)},
			map[string]bool{"p1": true, "p2": true, "p3": true, "p4": true, "max_gap": true}, map[string]uint64{"max_gap": 2}},
		{"one seed violates", Expect{Properties: map[string]string{"p1": "holds"}},
			[]SeedOutcome{outcome(1, "", 0, false), outcome(2, "p1", 0, false), outcome(3, "p1", 0, false)},
			map[string]bool{"p1": false, "p2": true, "p3": true, "p4": true}, map[string]uint64{"p1": 2}},
		{"violation wanted and found", Expect{Properties: map[string]string{"p1": "violated"}},
			[]SeedOutcome{outcome(1, "", 0, false), outcome(2, "p1", 0, false)},
			map[string]bool{"p1": true}, map[string]uint64{"p1": 2}},
		{"violation wanted, not found", Expect{Properties: map[string]string{"p1": "violated"}},
			[]SeedOutcome{outcome(4, "", 0, false)}, map[string]bool{"p1": false}, map[string]uint64{"p1": 4}},
		{"a file expecting a violation constrains only what it names", Expect{Properties: map[string]string{"p1": "violated"}},
			[]SeedOutcome{outcome(1, "p2", 0, false)}, map[string]bool{"p1": false}, nil},
		{"undecided cannot show holds", Expect{Properties: map[string]string{"p3": "holds"}},
			[]SeedOutcome{outcome(7, "", 0, true)}, map[string]bool{"p1": false, "p2": false, "p3": false, "p4": false}, map[string]uint64{"p3": 7}},
		{"bound broken by the worst seed", Expect{Bounds: []Bound{gap}},
			[]SeedOutcome{outcome(1, "", time.Second, false), outcome(2, "", 12*time.Second, false), outcome(3, "", 11*time.Second, false)},
			map[string]bool{"max_gap": false, "p1": true, "p2": true, "p3": true, "p4": true}, map[string]uint64{"max_gap": 2}},
		{"no seeds meets nothing", Expect{Properties: map[string]string{"p1": "holds"}, Bounds: []Bound{gap}},
			nil, map[string]bool{"p1": false, "p2": false, "p3": false, "p4": false, "max_gap": false}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := map[string]ExpectResult{}
			for _, r := range tt.expect.Evaluate(tt.outs) {
				got[r.Key] = r
			}
			for key, met := range tt.want {
				r, ok := got[key]
				if !ok {
					t.Errorf("%s not evaluated; got %+v", key, got)
					continue
				}
				if r.Met != met {
					t.Errorf("%s: met = %v, want %v (%+v)", key, r.Met, met, r)
				}
			}
			for key, seed := range tt.seed {
				if r := got[key]; !r.HasSeed || r.Seed != seed {
					t.Errorf("%s: deciding seed = %d (has %v), want %d", key, r.Seed, r.HasSeed, seed)
				}
			}
			if len(got) != len(tt.want) {
				t.Errorf("evaluated %d expectations, want %d: %+v", len(got), len(tt.want), got)
			}
		})
	}
}

func TestBoundGreaterThan(t *testing.T) {
	b := Bound{Metric: "leader_changes", Op: ">=", Value: 1, Text: "1"}
	r := Expect{Bounds: []Bound{b}}.Evaluate([]SeedOutcome{
		{Seed: 1, Metrics: map[string]float64{"leader_changes": 3}},
		{Seed: 2, Metrics: map[string]float64{"leader_changes": 0}},
	})
	var got ExpectResult
	for _, x := range r {
		if x.Key == "leader_changes" {
			got = x
		}
	}
	if got.Met || got.Seed != 2 || got.Got != "worst 0" {
		t.Errorf(">= bound: %+v, want unmet by seed 2 with worst 0", got)
	}
}
