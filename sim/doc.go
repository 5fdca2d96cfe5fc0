// Package sim is leasesim's deterministic discrete-event kernel: virtual true time, an
// event queue ordered by (time, sequence), seeded random streams per concern, a network of
// links with delay distributions, loss, duplication, reordering and cuts, per-node
// monotonic and wall clocks with drift, offsets and steps, process crashes, restarts and
// pauses, and a fault schedule applied at true times.
//
// Protocols run on it as Nodes: deterministic state machines in the shape of etcd's raft.
// A node is handed one input at a time (Start, a delivered message, or one of its own
// timers coming back as a message) and produces output only through its Env: messages to
// send, timers to set in its local monotonic clock, claims on leases, and records for the
// history. Nodes never see true time; the kernel converts every claim ("held until my clock
// reads D") into an exact true-time interval and writes it to a history.History.
//
// sim is not a protocol library (see package model), not a checker (package checker reads
// the History that Run returns), and not a scenario format (package scenarios builds a
// Config). It never reads the wall clock, starts goroutines, or uses global randomness:
// the same Config gives the same trace, byte for byte, on any machine.
package sim
