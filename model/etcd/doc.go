// Package etcd is an etcd-like lease service and the leader election people build on it
// (docs/scenarios.md): Grant(TTL) returns a lease, KeepAlive refreshes it to its full TTL, Revoke
// ends it, keys put with a lease are deleted when it expires or is revoked, and a holder
// leads while its election key has the lowest create revision among the election keys —
// the semantics of etcd's concurrency.Election.
//
// The issuer is one node (Q) or a cluster of 3 or 5 (Q1..Qn) replicated with
// go.etcd.io/raft: a RawNode per node, ticked by simulated timers (heartbeat_tick),
// stepped with delivered messages, its Ready handled deterministically (durable raft
// storage saved before messages leave; elections timed from the node's seeded stream, see
// raftNode). Grants, revokes, puts and compare-and-swaps go through the log; KeepAlive and
// reads are served by the leader after a ReadIndex round confirms its leadership (one
// round at a time, shared by every request that arrived before it started, as etcd's
// linearizable read loop: readloop.go). As in
// etcd, only the raft leader expires leases, by its own monotonic clock; a new leader
// renews every lease to election timeout + TTL on promotion, or with checkpoint: true to
// the remaining TTL last checkpointed through the log (every TTL/2). A KeepAlive of a
// lease that expired on the leader waits for its revoke to apply, as etcd's Renew.
//
// Holders are clients. A holder grants a lease of `ttl`, puts election/<name> bound to it,
// sends KeepAlive every `keepalive` and asks every `keepalive` which election key is
// first. It leads while it believes its key is first, and only until its lease could have
// run out: the send time of its last acknowledged KeepAlive (or Grant) plus the TTL minus
// a 1% margin for drift, on its own monotonic clock. It sends to one issuer node at a time
// and fails over: to the leader a non-leader names, or to the next node when the one it
// uses has answered nothing for a keepalive period. With `keys`, the first holder also
// keeps that many keys alive on `key_leases` leases of its own (bulk.go), which measures
// the seed's point that binding many keys to one lease cuts the KeepAlive load; with
// `request_cost` an issuer node serves one client request at a time, so that load costs
// latency.
//
// Two of etcd's quirks that users trip over are modelled as etcd has them. TTLs are whole
// seconds, and the issuer raises a TTL below its minimum to it: etcd's server sets
// MinLeaseTTL to ceil((3*ElectionTicks/2) × heartbeat) in seconds (server.go) and its
// lessor's Grant raises a shorter TTL to it (2s with the default 100ms tick and 1s
// election timeout), so a holder that asks for 1s holds a 2s lease and its crash costs 2s
// of failover (etcd-min-ttl); holders count with the TTL the Grant answered. With client:
// etcd-go the holder is etcd's Go client rather than the careful one: clientv3's lease.go
// sets the deadline to the KeepAlive answer's arrival plus the TTL (recvKeepAlive) and
// checks it once a second (deadlineLoop), so a cut-off client believes up to a slow
// answer's delay plus a second past the issuer's expiry (etcd-client-etcd-go; the
// careful holder under the same schedule: etcd-client-careful).
//
// Every client call is recorded as a history.Op; OpModel is the porcupine model of the
// client API for P3, which checks the values and leases read against those written, and
// partition splits a history by linked keys and leases so that the search stays small.
// Client requests are sent AtMostOnce — never duplicated by the network, as gRPC over
// TCP — because etcd executes a request at most once (see OpModel). The service's client interface is exported (service.go) for
// protocols built on it: model/k8s keeps its Lease object here.
//
// Mutants: expire-early (leases expire at half their TTL), holder-counts-from-receipt
// (the client counts its lease from the KeepAlive answer's arrival), expire-on-follower
// (followers expire leases too), no-renew-on-promotion (a new raft leader keeps the
// deadlines it knew as a follower) and guard-short-5pct (the holder's 1% drift margin is
// 5% short: caught at the drift that margin covers, etcd-drift-margin).
//
// What the package is not: etcd's MVCC (no history of revisions, no watches, no
// compaction), its gRPC API, or its lessor's batching; see live/ for a real etcd.
package etcd
