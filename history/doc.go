// Package history is the vocabulary of one run of a lease protocol, shared by the
// producers of runs (the simulator in package sim, the live etcd driver in package live)
// and their consumers (package checker, package reports).
//
// A History holds what a checker needs and nothing about how it was produced: claims as
// true-time intervals, the writes a resource accepted, client operations with their call
// and return times, the faults that were injected, the issuer's status decisions, and the
// intervals during which each holder was up and wanting the lease. Times are int64
// nanoseconds since the run's start, on the run's single reference timeline (true time in
// a simulation, the driver's monotonic clock in a live run).
//
// A History is serialised as JSON lines (one record a line, each with a "type" field); see
// Write and Read. FORMAT.md in this directory lists the records and the rules Read (and
// Validate, for a History in memory) enforces. It is not a trace: the event-by-event trace of a simulated run is kept by
// sim and summarised here only by its hash (Meta.TraceHash).
package history
