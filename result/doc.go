// Package result owns the records a run leaves and the one path that summarises them:
//
//   - RunResult (one seed of one scenario: runs.jsonl, `run --json`), ScenarioResult
//     (one scenario over its seeds: results.jsonl, `suite --json`) and SweepPoint (one
//     point of a sweep: points.jsonl), with their JSON lines (WriteJSONLines,
//     ReadJSONLines);
//   - the expect section a scenario file declares (Expect, Bound, RateBound, the
//     Metrics it may bound; package scenarios parses it) and its evaluation over a
//     scenario's runs: OutcomeOf turns a run into what it contributes,
//     Expect.EvaluateSeeds judges every expectation (rates on exact Clopper–Pearson
//     bounds from package stats; violated over the scenario's own seeds),
//     ScenarioResult.Evaluate fills in a scenario's statistics, rates (Rate: how often
//     each property was violated, with its bounds), verdicts and failing seed, and
//     Undecided tells a failure from an open question (more seeds or checks would
//     decide it);
//   - the merge of shards: MergeSuite (a scenario seen in several shards is evaluated
//     again over the merged seeds) and MergePoints.
//
// The suite, report's merge, live runs and the runner all summarise through here, so a
// fresh run and one read back from a file are judged the same way. The package reads
// checker's verdicts and metrics and nothing of how runs are made (no simulator, no
// models, no scenario files), so reports can depend on it.
package result
