// Package bundle writes, reads and replays failure bundles: the directory `leasesim
// suite` writes under failures/NAME for a scenario whose expectations fail (or whose run
// panicked), and `leasesim replay` runs again. A bundle holds the exact scenario bytes
// (scenario.yaml), bundle.json (Info: the seed, the unmet expectations, the history's
// digest, the trace hash, the version that wrote it) and the run's directory (package
// rundir); a panicking seed has panic.txt and the transcript up to the panic instead.
//
// Replaying is comparing: Compare says how a run differs from what the bundle recorded
// (history digest, trace, verdict), Unmet which of the expectations the bundle was
// written for the replayed seed still fails. Replay is `leasesim replay` on top of them:
// it prints the replayed run and what differs or still fails, and returns the exit;
// WarnVersion says when a bundle was written by another leasesim version.
package bundle
