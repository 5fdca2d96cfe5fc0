// Package reports turns results into what people read: the suite table, JUnit XML for
// CI, JSON lines, CSV, plots (gonum/plot), run timelines and the self-contained HTML
// report. It reads results and histories (package history, package checker's verdicts),
// never the simulator, so the same reports serve simulated and live runs.
//
// The records it reads — runs, scenarios, sweep points — belong to package result, and
// its percentiles are package stats'.
//
// Among its figures: DurationTicks labels true-time axes with round durations ("250ms",
// "1m30s", "2h"); SeedCDFPlot and SeedHistogramPlot draw, for one scenario, the
// distribution over seeds of a per-seed figure (SeedMetric: unavailable fraction,
// longest gap, longest recovery), with its p50 and p99 and the seeds that violated a
// property marked.
package reports
