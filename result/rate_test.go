package result

import (
	"strings"
	"testing"
	"time"
)

// outcomes are n seeds from 1, the first k of which violate p.
func outcomes(n, k int, p string) []SeedOutcome {
	var out []SeedOutcome
	for i := range n {
		o := SeedOutcome{Seed: uint64(i + 1), Violated: map[string]bool{}, Metrics: map[string]float64{}}
		if i < k {
			o.Violated[p] = true
		}
		out = append(out, o)
	}
	return out
}

// TestRateExpectations: a rate is met when its Clopper–Pearson bound shows it, not met
// when the bound refutes it, undecided (with the seeds that would decide it) between.
func TestRateExpectations(t *testing.T) {
	rate := func(op string, v float64, text string) Expect {
		return Expect{Rates: map[string]RateBound{"p1": {Property: "p1", Op: op, Value: v, Text: text, Confidence: 0.95}}}
	}
	for _, tt := range []struct {
		name      string
		e         Expect
		n, k      int
		met       bool
		undecided string
		got       string // a part of Got
		seed      uint64 // the deciding seed, 0 for none
	}{
		{"0 of 3000 shows <= 0.1%", rate("<=", 0.001, "0.1%"), 3000, 0, true, "", "0 of 3,000 seeds: p1 ≤ 0.10% per run at 95%", 0},
		{"0 of 1000 cannot show <= 0.1%", rate("<=", 0.001, "0.1%"), 1000, 0, false, UndecidedSeeds, "about 2,995 seeds in all would decide it", 0},
		{"10 of 100 refutes <= 1%", rate("<=", 0.01, "1%"), 100, 10, false, "", "10 of 100 seeds: p1 10% per run, ≥ 5.5% and ≤ 17% at 95%", 1},
		{"10 of 100 shows >= 1%", rate(">=", 0.01, "1%"), 100, 10, true, "", "", 1},
		{"0 of 500 refutes >= 1%", rate(">=", 0.01, "1%"), 500, 0, false, "", "≤ 0.60%", 1},
		{"1 of 20 cannot decide >= 1%", rate(">=", 0.01, "1%"), 20, 1, false, UndecidedSeeds, "seeds in all would decide it", 0},
		{"the observed rate is the bound", rate("<", 0.5, "50%"), 10, 5, false, UndecidedSeeds, "no number of seeds decides it", 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var got ExpectResult
			for _, x := range tt.e.Evaluate(outcomes(tt.n, tt.k, "p1")) {
				if x.Key == "p1" {
					got = x
				}
			}
			if got.Met != tt.met || got.Undecided != tt.undecided || !strings.Contains(got.Got, tt.got) {
				t.Errorf("met %v, undecided %q, got %q; want met %v, undecided %q, got containing %q", got.Met, got.Undecided, got.Got, tt.met, tt.undecided, tt.got)
			}
			if (tt.seed != 0) != got.HasSeed || got.Seed != tt.seed {
				t.Errorf("seed %d (has %v), want %d", got.Seed, got.HasSeed, tt.seed)
			}
		})
	}
}

// TestViolatedNeedsTheScenariosSeeds: a wanted violation that the seeds run do not show
// is undecided when they are fewer than the scenario's own or the planned ones, and
// fails only over all of them; holds is judged on the seeds that ran; a rate in one
// shard is decided only when the seeds the shard lacks could not change it.
func TestViolatedNeedsTheScenariosSeeds(t *testing.T) {
	violated := Expect{Properties: map[string]string{"p1": PropViolated}, Seeds: 100}
	holds := Expect{Properties: map[string]string{"p1": PropHolds}, Seeds: 100}
	rateLE := Expect{Rates: map[string]RateBound{"p1": {Property: "p1", Op: "<=", Value: 0.001, Text: "0.1%", Confidence: 0.95}}}
	rateGE := Expect{Rates: map[string]RateBound{"p1": {Property: "p1", Op: ">=", Value: 0.01, Text: "1%", Confidence: 0.95}}}
	for _, tt := range []struct {
		name      string
		e         Expect
		outs      []SeedOutcome
		planned   int
		met       bool
		undecided string
		got       string
	}{
		{"5 of the scenario's 100 seeds, no violation", violated, outcomes(5, 0, "p1"), 0, false, UndecidedSeeds, "the scenario's own 100 seeds decide it"},
		{"5 seeds, one violates", violated, outcomes(5, 1, "p1"), 0, true, "", ""},
		{"all 100 seeds, no violation", violated, outcomes(100, 0, "p1"), 0, false, "", ""},
		{"more seeds than the scenario's, no violation", violated, outcomes(200, 0, "p1"), 0, false, "", ""},
		{"one shard of 1000 planned", violated, outcomes(125, 0, "p1"), 1000, false, UndecidedSeeds, "only 125 of the run's 1,000 seeds ran here, and all of them decide it (leasesim report merges the shards)"},
		{"holds over 5 seeds", holds, outcomes(5, 0, "p1"), 0, true, "", ""},
		{"holds broken in a shard", holds, outcomes(5, 1, "p1"), 1000, false, "", ""},
		{"no own count: the seeds that ran", Expect{Properties: map[string]string{"p1": PropViolated}}, outcomes(5, 0, "p1"), 0, false, "", ""},
		// A rate in one shard: refuted or shown by the shard's seeds alone, but the
		// seeds it lacks could change that, so it is left to the merged counts.
		{"shard refutes <= 0.1% that the rest could meet", rateLE, outcomes(10, 10, "p1"), 100000, false, UndecidedSeeds, "only 10 of the run's 100,000 seeds ran here, and the rest could change it (leasesim report judges the merged counts)"},
		{"shard shows >= 1% that the rest could refute", rateGE, outcomes(10, 10, "p1"), 100000, false, UndecidedSeeds, "only 10 of the run's 100,000 seeds ran here"},
		{"shard shows >= 1% whatever the rest show", rateGE, outcomes(500, 500, "p1"), 1000, true, "", ""},
		{"shard refutes <= 0.1% whatever the rest show", rateLE, outcomes(500, 500, "p1"), 1000, false, "", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var got ExpectResult
			for _, x := range tt.e.EvaluateSeeds(tt.outs, tt.planned) {
				if x.Key == "p1" {
					got = x
				}
			}
			if got.Met != tt.met || got.Undecided != tt.undecided || !strings.Contains(got.Got, tt.got) {
				t.Errorf("met %v, undecided %q, got %q; want met %v, undecided %q, got containing %q", got.Met, got.Undecided, got.Got, tt.met, tt.undecided, tt.got)
			}
			if got.Undecided != "" && got.HasSeed {
				t.Errorf("an expectation undecided for want of seeds names seed %d", got.Seed)
			}
		})
	}
}

// TestPercentileBound: a bound that names a percentile is checked on it, not on the
// worst seed.
func TestPercentileBound(t *testing.T) {
	var outs []SeedOutcome
	for i := range 100 {
		x := 0.01
		if i == 99 {
			x = 0.5 // one bad seed in a hundred
		}
		outs = append(outs, SeedOutcome{Seed: uint64(i + 1), Metrics: map[string]float64{"unavailable_fraction": x}})
	}
	for _, tt := range []struct {
		b   Bound
		met bool
		got string
	}{
		{Bound{Metric: "unavailable_fraction", Op: "<=", Value: 0.02, Text: "2%", Percentile: "p99"}, true, "p99 0.01, worst 0.5"},
		{Bound{Metric: "unavailable_fraction", Op: "<=", Value: 0.02, Text: "2%", Percentile: "max"}, false, "max 0.5, worst 0.5"},
		{Bound{Metric: "unavailable_fraction", Op: "<=", Value: 0.02, Text: "2%"}, false, "worst 0.5"},
		{Bound{Metric: "unavailable_fraction", Op: ">=", Value: 0.01, Text: "1%", Percentile: "min"}, true, "min 0.01, worst 0.01"},
	} {
		var got ExpectResult
		for _, x := range (Expect{Bounds: []Bound{tt.b}}).Evaluate(outs) {
			if x.Key == tt.b.Metric {
				got = x
			}
		}
		if got.Met != tt.met || got.Got != tt.got || got.Want != tt.b.Want() {
			t.Errorf("%s: met %v, got %q; want met %v, got %q", tt.b.Want(), got.Met, got.Got, tt.met, tt.got)
		}
	}
}

// TestRateText: the sentence every report prints for a rate.
func TestRateText(t *testing.T) {
	for _, tt := range []struct {
		r    Rate
		want string
	}{
		{RateOf(0, 1000, 0.95, 0), "0 of 1,000 seeds: p1 ≤ 0.30% per run at 95%"},
		{RateOf(12, 1000, 0.95, 0), "12 of 1,000 seeds: p1 1.2% per run, ≥ 0.69% and ≤ 2.0% at 95%"},
		{RateOf(5, 5, 0.9, 0), "5 of 5 seeds: p1 ≥ 63% per run at 90%"},
		{RateOf(0, 100, 0.95, 100*(5*time.Minute).Hours()), "0 of 100 seeds: p1 ≤ 3.0% per run at 95%, ≤ 0.36 per simulated hour"},
		{RateOf(0, 0, 0.95, 0), "0 of 0 seeds: p1 unknown (no seed decided)"},
		{RateOf(272, 273, 0.95, 0), "272 of 273 seeds: p1 99.6% per run, ≥ 98% and ≤ 99.99% at 95%"},
	} {
		if got := tt.r.Text("p1"); got != tt.want {
			t.Errorf("Text = %q, want %q", got, tt.want)
		}
	}
	for x, want := range map[float64]string{0: "0%", 0.003: "0.30%", 0.019: "1.9%", 0.95: "95%", 1: "100%", 0.0996: "10%", 0.00003: "0.0030%",
		272.0 / 273: "99.6%", 0.99981: "99.98%", 0.9999999: "99.99999%"} {
		if got := Percent(x); got != want {
			t.Errorf("Percent(%v) = %q, want %q", x, got, want)
		}
	}
}

// TestBoundsRoundOutward: a printed bound still holds. An upper bound is rounded up to
// two significant digits and a lower bound down; one already at two digits is printed as
// it is. 12 of 1,000 seeds' upper bound, 1.937%, printed "≤ 1.9%" before.
func TestBoundsRoundOutward(t *testing.T) {
	for _, tt := range []struct {
		x        float64
		up, down string
	}{
		{0.01937, "2.0%", "1.9%"},
		{0.019, "1.9%", "1.9%"},
		{0.006938, "0.70%", "0.69%"},
		{0.0029953, "0.30%", "0.29%"},
		{0.003, "0.30%", "0.30%"},
		{0.0996, "10%", "9.9%"},
		{0.9581, "96%", "95%"},
		{0.99981, "99.99%", "99%"},
		{1, "100%", "100%"},
		{0, "0%", "0%"},
	} {
		if got := PercentUp(tt.x); got != tt.up {
			t.Errorf("PercentUp(%v) = %q, want %q", tt.x, got, tt.up)
		}
		if got := PercentDown(tt.x); got != tt.down {
			t.Errorf("PercentDown(%v) = %q, want %q", tt.x, got, tt.down)
		}
	}
	r := RateOf(12, 1000, 0.95, 0)
	if r.Upper <= 0.019 || r.Upper >= 0.020 || r.Lower <= 0.0069 || r.Lower >= 0.0070 {
		t.Fatalf("12 of 1,000: bounds [%v, %v], the cases above assume (0.0069, 0.0070) and (0.019, 0.020)", r.Lower, r.Upper)
	}
}

// TestMeasured: a measured fraction (not a bound) has three decimals, as the suite
// table's unavailability: the sweep and tune tables print the same.
func TestMeasured(t *testing.T) {
	for x, want := range map[float64]string{0: "0.000%", 0.258866: "25.887%", 0.0004: "0.040%", 1: "100.000%", 0.00000049: "0.000%"} {
		if got := Measured(x); got != want {
			t.Errorf("Measured(%v) = %q, want %q", x, got, want)
		}
	}
}

// TestEffectiveWithRates: a property with a rate is judged by its rate; a rate of at
// most some value leaves the unnamed properties implied "holds", a rate of at least
// some value (a wanted violation) does not.
func TestEffectiveWithRates(t *testing.T) {
	for _, tt := range []struct {
		op   string
		want map[string]string
	}{
		{"<=", map[string]string{"p2": PropHolds, "p3": PropHolds, "p4": PropHolds}},
		{">=", map[string]string{}},
	} {
		e := Expect{Rates: map[string]RateBound{"p1": {Property: "p1", Op: tt.op, Value: 0.01, Text: "1%", Confidence: 0.95}}}
		got := e.Effective()
		if len(got) != len(tt.want) {
			t.Errorf("rate %s: Effective = %v, want %v", tt.op, got, tt.want)
		}
		for k, v := range tt.want {
			if got[k] != v {
				t.Errorf("rate %s: Effective = %v, want %v", tt.op, got, tt.want)
			}
		}
	}
}
