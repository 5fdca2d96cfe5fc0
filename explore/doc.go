// Package explore is the engine behind `leasesim explore`: a random search over fault
// schedules with rapid, and rapid's shrinking of the first failing one to a minimal
// scenario that still fails.
//
// Search generates variants of a scenario inside its bounds (scenarios.BoundsFrom,
// scenarios.Generate), runs each (package runner) and stops at the first one with any
// finding; rapid then shrinks it — fewer, shorter, earlier faults, smaller clock errors,
// a shorter run — and the last failing variant is the minimal one, returned as an
// ordinary scenario whose expect section names the properties it violates. Replay runs
// that minimal scenario again and checks it reproduces the same trace.
//
// Shrink is the same shrinking for a scenario that already fails on a given seed
// (leasesimtest's Shrink option): rapid draws reductions of it — faults removed or
// shortened, clock errors zeroed, the run cut after its last fault — and shrinks the
// first that still fails to a minimal one.
//
// rapid is built for `go test`; Search and Shrink drive it outside one, through its flags (check
// count, seed, shrink time) and a quiet rapid.TB of its own.
package explore
