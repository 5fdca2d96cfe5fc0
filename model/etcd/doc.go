// Package etcd is an etcd-like lease service and the leader election people build on it
// (DESIGN §4): Grant(TTL) returns a lease, KeepAlive refreshes it to its full TTL, Revoke
// ends it, keys put with a lease are deleted when it expires or is revoked, and a holder
// leads while its election key has the lowest create revision among the election keys —
// the semantics of etcd's concurrency.Election.
//
// This first version has a single issuer node Q (issuers: 1). It keeps its store and its
// leases on disk; after a restart every lease is renewed to its full TTL, as a newly
// elected etcd leader does (etcd only checkpoints remaining TTLs with checkpointing on).
// Leases expire only on Q, by Q's monotonic clock. The replicated issuer on
// go.etcd.io/raft is the next step; the parameters election_timeout, heartbeat_tick and
// checkpoint are declared for it and only checked here.
//
// Holders are clients. A holder grants a lease of `ttl`, puts election/<name> bound to it,
// sends KeepAlive every `keepalive` and asks every `keepalive` which election key is
// first. It leads while it believes its key is first, and only until its lease could have
// run out: the send time of its last acknowledged KeepAlive (or Grant) plus the TTL minus
// a 1% margin for drift, on its own monotonic clock — etcd's client keeps the session alive
// the same way, counting from the request. A holder whose KeepAlive is refused (the lease
// is gone) grants a new lease and campaigns again. Every client call is recorded as a
// history.Op. OpModel is the porcupine model of the client API; it is tested on small
// histories but not yet registered for P3, because porcupine's search over one
// unpartitioned history of a run with slow links (answers seconds late, overlapping many
// calls) exhausts memory: registering it waits for a partitioning that keeps P3 linear.
//
// Mutants: expire-early (Q expires leases at half their TTL), holder-counts-from-receipt
// (the client counts its lease from the KeepAlive answer's arrival).
package etcd
