// Command readmetables regenerates the tables of measured numbers in README.md, and the
// measured figures in its prose, from the runs they describe, and with -check fails when
// the committed ones differ.
//
// Each table is a block between two marker comments in its file:
//
//	<!-- table:ha begin: ... -->
//	Measured with `go run ./cmd/leasesim suite … --seeds 200 --json` (every expectation met):
//
//	| … |
//
//	<!-- table:ha end -->
//
// The block is written by this command and never by hand: the rows' labels, the columns
// and the seed count are in tables.go, the numbers come from running the named built-in
// scenarios in-process (package internal/runner, as `leasesim suite` does) with that seed
// count, and the command line above the table is derived from the same specification, so
// the text cannot state one seed count and measure another. Runs are seeded and
// deterministic, so a regenerated table equals the committed one byte for byte unless a
// protocol, scenario or the simulator changed.
//
// A figure in the prose is the words between two inline markers, rendered from one
// built-in scenario (figures.go) and ending with the command that measures it:
//
//	costs a <!-- fig:etcd-min-ttl -->1.73–2.79s failover gap (200 seeds, `leasesim suite
//	etcd-min-ttl --seeds 200`)<!-- /fig --> instead of about 1s.
//
// Rates among seeds are stated with their Clopper–Pearson bounds (result.Rate).
//
//	go run ./scripts/readmetables          # rewrite the tables
//	go run ./scripts/readmetables -check   # exit 1 with a diff when a committed table is stale
//	go run ./scripts/readmetables -only ha,keys,etcd-min-ttl
//
// Exit codes: 0 done (or, with -check, every table matches), 1 a table differs (-check),
// 2 bad input (an unknown -only name, a file without its markers), 4 a run failed.
package main
