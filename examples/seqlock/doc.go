// Package seqlock is an example of a lease protocol written outside leasesim and checked
// from its own go test (seqlock_test.go) with package leasesimtest.
//
// It is a lock service with sequencers, in the manner of Chubby: an issuer Q grants the
// lock as a lease of length lease, each grant to a new holder with a sequencer one
// higher than the last. A holder renews every renew, counts its lease from the moment it
// sent the request that was granted, and stops guard before the lease ends on its own
// monotonic clock; Q hands the lock to someone else only lease + guard after its last
// grant or renewal on its own clock, and after a restart waits lease + guard before
// granting at all. The holder attaches its sequencer to every write, and the resource R
// rejects a write whose sequencer is lower than one it has accepted.
//
// Protocol is the correct service. Broken is the same service with a bug a real
// implementation might have: the holder does not stop at its deadline; it keeps the lock
// until Q tells it someone else has it. Cut off from Q, it goes on believing it holds the
// lock while Q grants it to another holder: two holders (P1), though the resource's
// sequencer check still rejects the old holder's writes (P2 holds).
package seqlock
