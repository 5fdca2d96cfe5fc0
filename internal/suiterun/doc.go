// Package suiterun is `leasesim suite` around runner.SuiteRun: the loaded scenarios as
// one shard's jobs, every output (--out, --junit) checked before any run and written as
// scenarios finish, and the exit code, with what went wrong besides the verdicts (a
// scenario that could not be built, a run that panicked, a seed that ran differently
// twice, an unwritable output, a shard's undecided scenarios, an interruption) said on
// stderr. The command parses the flags and prints the results.
package suiterun
