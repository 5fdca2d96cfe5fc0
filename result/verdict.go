package result

// SuiteVerdict is what a suite's scenario results say together (the suite's exit code,
// and that of a report merging shards).
type SuiteVerdict int

// The suite verdicts, from the best.
const (
	// SuiteMet: every expectation met, every check decided.
	SuiteMet SuiteVerdict = iota
	// SuiteUndecided: nothing failed, but some scenario is undecided (Undecided), ran no
	// seed within a budget (RanNoSeed), or met its expectations with a check that could
	// not decide.
	SuiteUndecided
	// SuiteFailed: an expectation failed or a scenario could not run.
	SuiteFailed
)

// JudgeSuite is the verdict of a suite's scenario results.
func JudgeSuite(rs []ScenarioResult) SuiteVerdict {
	v := SuiteMet
	for _, r := range rs {
		switch {
		case r.RanNoSeed(), Undecided(r):
			v = max(v, SuiteUndecided)
		case r.Error != "" || !r.Met:
			return SuiteFailed
		case r.Unknown > 0:
			v = max(v, SuiteUndecided)
		}
	}
	return v
}
