// Package suitedir writes and reads the results directory of `leasesim suite` (--out):
// results.jsonl (one scenario result a line), runs.jsonl (one run result a line),
// report.html, and failures/ (a failure bundle per failing scenario, package bundle).
// Results are rewritten atomically, so an interrupted suite leaves a consistent
// directory; FailureSections reads the bundles back for a report (`leasesim report`,
// and the suite's own report.html). `leasesim live etcd --out` writes the same
// results files. What to print and which exit code to give are the command's.
package suitedir
