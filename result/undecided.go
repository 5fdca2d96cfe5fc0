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
