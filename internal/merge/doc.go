// Package merge reads the result directories `leasesim report` is given — suite
// directories (results.jsonl, runs.jsonl, failures/), sweep directories (points.jsonl,
// sweep.json) and live etcd directories (trials.jsonl), several shards of one job
// included — and merges them into one reports.Report: runs by scenario and seed, a
// scenario seen in several shards evaluated again over the merged seeds with the
// expectations of its scenario file (result.MergeSuite), sweep points by their
// parameters (result.MergePoints). WriteReport renders the merged report as
// report.html; judging its exit code is the command's.
package merge
