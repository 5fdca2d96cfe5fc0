// Package runner runs scenarios: one seed (scenario → sim.Config → history → checker
// verdict), one scenario over its seeds, or a whole suite across cores, with results in
// a deterministic order whatever the parallelism. A panic in a run is caught for its
// seed and returned as an *InternalError naming the scenario and seed, so that one bug
// does not end a suite. RunRounds runs the seeds of several scenarios round-robin until a
// stop function (a --for budget, package budget) says so, each scenario a prefix of its
// seeds and its results those of a run of exactly those seeds. SuiteRun is `leasesim
// suite`'s driver: each scenario summarised as its last seed finishes, seeds that
// panicked marked on their scenario, a budget's seeds noted on each result, and
// --check-determinism's second run (CheckDeterminism). It is the glue behind the run,
// suite, replay, sweep, explore and tune commands; it holds no protocol logic, no
// checking logic and no output formats (those are in model, checker and reports).
package runner
