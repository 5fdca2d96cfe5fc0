package result

// Undecided says whether a scenario that did not meet its expectations is neither met
// nor failed: every unmet expectation is undecided (Expectation.Undecided) — a
// property that undecided checks (a porcupine timeout) leave open, a violated
// expectation run with fewer seeds than its scenario's or in one shard, a rate whose
// bound lies inside its interval. A suite reports it as undecided (exit 3). An unmet
// metric bound is always decided; a scenario that could not run (Error) failed.
func Undecided(r ScenarioResult) bool {
	return undecided(r, func(string) bool { return true })
}

// UndecidedForSeeds says whether r is undecided (Undecided) only because of the seeds
// it holds: every unmet expectation would be decided by more seeds (UndecidedSeeds). A
// shard (suite --shard) that is undecided only so leaves the verdict to the merged
// report.
func UndecidedForSeeds(r ScenarioResult) bool {
	return undecided(r, func(why string) bool { return why == UndecidedSeeds })
}

func undecided(r ScenarioResult, accept func(why string) bool) bool {
	if r.Met || r.Error != "" {
		return false
	}
	open := false
	for _, e := range r.Expectations {
		if e.Met {
			continue
		}
		if e.Undecided == "" || !accept(e.Undecided) {
			return false
		}
		open = true
	}
	return open
}

// RanNoSeed says whether a --for budget ran none of r's seeds: nothing of r is decided.
func (r ScenarioResult) RanNoSeed() bool { return r.Budget != nil && r.Budget.LastSeed == nil }

// UndecidedWhy says why the undecided scenarios of rs are open: more seeds would decide
// some (seeds), checks that could not decide leave some open (checks). Scenarios a
// budget ran no seed of (RanNoSeed) are left out: they are open for want of any seed.
func UndecidedWhy(rs []ScenarioResult) (seeds, checks bool) {
	for _, r := range rs {
		if r.RanNoSeed() {
			continue
		}
		if r.Met && r.Unknown > 0 {
			checks = true
		}
		if !Undecided(r) {
			continue
		}
		for _, e := range r.Expectations {
			seeds = seeds || e.Undecided == UndecidedSeeds
			checks = checks || e.Undecided == UndecidedChecks
		}
	}
	return seeds, checks
}
