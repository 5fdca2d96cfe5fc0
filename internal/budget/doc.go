// Package budget is the wall-clock budget behind `--for DURATION` (suite, explore, and
// sweep): seeds run until the budget is spent, the way `go test -fuzztime` or
// TigerBeetle's VOPR run. It is the only place a budget reads the wall clock, so that
// the deterministic core (sim, model, checker, history, scenarios) never does, and it
// takes its Clock from the caller, so that tests use a fake one instead of sleeping.
//
// A budget only decides when the next seed may start; which seeds run is the caller's
// to keep deterministic. The rule every command follows: seeds are taken in a fixed
// order, a seed started before the budget ran out finishes, and no later seed starts,
// so the seeds that ran are a prefix of that order and the results for them equal those
// of a run asked for exactly those seeds. runner.RunRounds implements it for a list of
// scenarios: pass Budget.Spent as its stop function.
//
// How sweep (or tune) should use it: the command parses --for with its flag type,
// starts the budget with Start(d, clock) just before the first run, and runs its points
// (each a scenario) with runner.RunRounds(ctx, points, maxSeeds, b.Spent, opt), where
// maxSeeds is --seeds (0: unbounded). RunRounds takes seed 1 of every point, then seed 2
// of every point, and so on, so every point gets the same seeds (its counts differ by at
// most one across points) and no point is starved by the order of the grid. It returns,
// per point, the seeds that ran (Ran: first seed, count) for the output to name, and
// whether the stop function ended the run (Spent) — a normal end, unlike a cancelled
// context (SIGINT, exit 130).
package budget
