// Package reports turns results into what people read: the suite table, JUnit XML for
// CI, JSON lines, CSV, plots (gonum/plot), run timelines and the self-contained HTML
// report. It reads results and histories (package history, package checker's verdicts),
// never the simulator, so the same reports serve simulated and live runs.
//
// It defines the result records that the suite, sweep and live commands write and that
// report merges across shards: RunResult (one seed of one scenario) and ScenarioResult
// (one scenario over its seeds, with its expectations).
//
// Beside them: DurationTicks labels true-time axes with round durations ("250ms",
// "1m30s", "2h"); SeedCDFPlot and SeedHistogramPlot draw, for one scenario, the
// distribution over seeds of a per-seed figure (SeedMetric: unavailable fraction,
// longest gap, longest recovery), with its p50 and p99 and the seeds that violated a
// property marked.
package reports
