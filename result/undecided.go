package result

import "slices"

// Undecided says whether a scenario that did not meet its expectations failed only
// because some checks could not decide: every unmet expectation is about a property
// (p1..p4) that no seed was found to violate while some seeds were undecided (a
// porcupine timeout). Such a scenario is neither met nor failed; a suite reports it as
// undecided. A bound on a metric does not depend on the checks, so an unmet bound is
// always a failure; so is a scenario that could not run (Error).
func Undecided(r ScenarioResult) bool {
	if r.Met || r.Error != "" || r.Unknown == 0 {
		return false
	}
	for _, e := range r.Expectations {
		if e.Met {
			continue
		}
		// Liveness never waits on porcupine: an unmet liveness expectation is decided.
		if !slices.Contains(Properties, e.Key) || e.Key == Liveness || r.Violations[e.Key] > 0 {
			return false
		}
	}
	return true
}
