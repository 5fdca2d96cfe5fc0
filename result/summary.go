package result

// Evaluate fills in r's seed statistics from r.Runs (Summarize) and evaluates e over
// them: the expectations, whether all are met, and the failing seed — the seed of the
// first unmet expectation that names one. Whatever an earlier evaluation decided (a
// shard's failing seed, its reproduce command and bundle) is cleared first.
func (r *ScenarioResult) Evaluate(e Expect) {
	r.Summarize()
	r.Expectations, r.Met, r.FailingSeed, r.Reproduce, r.Bundle = nil, true, nil, "", ""
	outcomes := make([]SeedOutcome, 0, len(r.Runs))
	for _, run := range r.Runs {
		outcomes = append(outcomes, OutcomeOf(run))
	}
	for _, x := range e.Evaluate(outcomes) {
		r.Expectations = append(r.Expectations, Expectation{Key: x.Key, Want: x.Want, Got: x.Got, Seed: x.Seed, Met: x.Met})
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
