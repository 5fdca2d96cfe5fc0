// Package fencing is the lease protocol (package lease) with fencing tokens: the lease's
// epoch travels with every write as a token, and the resource R rejects a token older than
// the newest it has accepted. A leader that was paused past its lease, or whose write was
// delayed, can no longer overwrite a newer leader's data: P2 holds even when P1 cannot
// (a paused process cannot notice that its lease ran out).
//
// Mutant resource-ignores-tokens: R accepts every write, as without fencing.
package fencing
