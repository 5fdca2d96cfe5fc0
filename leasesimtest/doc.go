// Package leasesimtest checks a lease protocol written outside leasesim from the
// protocol author's own `go test`:
//
//	func TestMyLock(t *testing.T) {
//		leasesimtest.Run(t, mylock.Protocol(), leasesimtest.Catalog("lease-*"), leasesimtest.Seeds(200))
//	}
//
// Every scenario × seed is a subtest named "SCENARIO/seed=N", so -run, -short (at most
// ShortSeeds seeds per scenario and ShortSeeds random schedules), -count, -failfast,
// -json and parallel runs work as for any test. A failing seed prints its findings in
// words, writes a failure bundle (scenario.yaml, failure.txt and the run's directory as
// `leasesim run --out` writes it: history.jsonl, result.json, transcript.txt, timelines)
// and prints the go test command that replays it; with Shrink, the minimal scenario that
// explore.Shrink (rapid) finds.
//
// Scenarios come from the built-in catalog (Catalog), from files (Files) and from random
// fault schedules (Random). Each is evaluated with the same code as `leasesim suite`:
// the scenario's expect: section, per seed; "violated" and rate expectations
// ({rate: "<= 0.1%"}) over the scenario's seeds, once they have all run. One that the
// seeds cannot decide (fewer seeds than the file's under -short, a rate whose interval
// straddles its bound) is logged as undecided (Report.Undecided), not failed.
//
// # Running catalog scenarios with another protocol
//
// A catalog scenario is written for one of leasesim's protocols. Run substitutes the
// user's protocol (SubstituteProtocol) and keeps the scenario's fault schedule,
// topology, network and clocks:
//
//   - protocol: becomes the user's protocol; a parameter is kept only if the user's
//     protocol declares one of that name (so a protocol with lease, renew and guard
//     parameters runs with the scenario's timings), and dropped otherwise;
//   - expectations "pN: holds" and the liveness bound are kept; metric bounds (max_gap,
//     failover_gap_min, …) are dropped: they describe the catalog protocol's timing;
//   - a scenario of a mutant, one that expects a property to be violated (or violated
//     at a rate of at least some value), and one with
//     more issuers than the protocol supports is skipped (it shows a weakness of its
//     own protocol, or does not fit).
//
// Scenario files given with Files are run as written: their protocol: must name the
// user's protocol.
//
// Check is the same run without a *testing.T: it returns a Report, for tests that
// expect a protocol to fail.
package leasesimtest
