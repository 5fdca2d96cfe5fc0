// Package sweep runs a scenario over the cross product of parameter values (the --set
// flags of `leasesim sweep`), each point over a range of seeds, and keeps the finished
// points in a results directory so that an interrupted or narrowed sweep resumes.
//
// A --set value is applied to the scenario's canonical YAML form (scenarios.Marshal) and
// the result is parsed again by scenarios.Parse, so a swept value obeys exactly the rules
// of a scenario file and fails with the same message, prefixed by the flag. Every point
// is checked before anything runs.
//
// The directory records what produced it (digest.json: the canonical scenario, the seed
// range and the leasesim version) and refuses a sweep that differs, naming the part that
// differs; Open opens the directory and writes sweep.json, which tells `leasesim report`
// the scenario, the swept parameters and the command. Each finished point is appended to points.jsonl as one complete, fsync'd JSON
// line, so that a rerun computes only the missing points; the final files are written in
// a fixed order, byte-identical whether or not the sweep was interrupted.
//
// Under a wall-clock budget (Options.Stop, sweep --for) the points run seed by seed, in
// rounds over every point, until the budget is spent: every point ran the same prefix
// of its seeds, and its record equals that of a sweep with that many seeds.
//
// Result.Ended, Result.BudgetLine and PrintPoints are what the command prints about a
// sweep: how it ended, which seeds a budget ran, and the points.
package sweep
