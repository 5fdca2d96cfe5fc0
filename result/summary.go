package result

import "time"

// Evaluate fills in r's seed statistics from r.Runs (Summarize), its rates, and
// evaluates e over them (Expect.EvaluateSeeds, with r.PlannedSeeds): the expectations,
// whether all are met, and the failing seed — the seed of the first unmet expectation
// that names one. Whatever an earlier evaluation decided (a shard's failing seed, its
// reproduce command and bundle) is cleared first.
func (r *ScenarioResult) Evaluate(e Expect) {
	r.Summarize()
	if r.PlannedSeeds <= r.Seeds {
		r.PlannedSeeds = 0 // every planned seed is here
	}
	r.Expectations, r.Met, r.FailingSeed, r.Reproduce, r.Bundle = nil, true, nil, "", ""
	outcomes := make([]SeedOutcome, 0, len(r.Runs))
	for _, run := range r.Runs {
		outcomes = append(outcomes, OutcomeOf(run))
	}
	r.Rates = Rates(e, outcomes, time.Duration(r.DurationNs))
	for _, x := range e.EvaluateSeeds(outcomes, r.PlannedSeeds) {
		r.Expectations = append(r.Expectations, Expectation{Key: x.Key, Want: x.Want, Got: x.Got, Seed: x.Seed, Met: x.Met, Undecided: x.Undecided})
		if x.Met {
			continue
		}
		r.Met = false
		if r.FailingSeed == nil && x.HasSeed {
			s := x.Seed
			r.FailingSeed = &s
		}
	}
}

// Rates is the violation rate of every property over the outcomes: p1..p4, and liveness
// when e checks it (a scenario with a tail) or a seed violated it. Each is at the
// confidence of the property's rate expectation, DefaultConfidence when it has none,
// and per simulated hour when each run's duration is known (> 0).
func Rates(e Expect, outs []SeedOutcome, duration time.Duration) map[string]Rate {
	out := map[string]Rate{}
	for _, p := range Properties {
		var tmp ExpectResult
		violated, unknown := countViolations(p, outs, &tmp)
		_, named := e.Properties[p]
		_, rated := e.Rates[p]
		if p == Liveness && e.RecoversWithin == 0 && violated == 0 && !named && !rated {
			continue
		}
		c := DefaultConfidence
		if rb, ok := e.Rates[p]; ok {
			c = rb.Confidence
		}
		n := len(outs) - unknown
		out[p] = RateOf(violated, n, c, float64(n)*duration.Hours())
	}
	return out
}
