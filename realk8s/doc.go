// Package realk8s runs the real client-go leader election
// (k8s.io/client-go/tools/leaderelection) in virtual time and records what it does in
// the same history the simulator produces, so that checker.Check judges both alike.
//
// Each run happens inside one testing/synctest bubble (synctest.Test): the bubble's fake
// clock is the only clock, so client-go's time.Now, timers and wait loops run in virtual
// time and a 90-second election takes milliseconds. Run starts one LeaderElector per
// candidate over a resourcelock.Interface (lock) backed by an in-memory Lease object
// (store) that behaves as client-go's LeaseLock against an apiserver: reads return the
// record and its raw bytes marshalled the way LeaseLock does (RenewTime at whole
// seconds), updates are compare-and-swaps on the revision last seen, and each request
// executes at most once, when it arrives. Between each candidate and the store, every
// request and every answer takes a delay drawn from the candidate's own seeded source
// and may be lost; faults drop a candidate's requests or answers (partition, one-way
// cut), delay its answers (slow), refuse its requests, or cancel its context for good
// (crash). Each candidate starts after a seeded offset within RetryPeriod, as the
// model's electors do, and a candidate that stops leading starts a new elector, as a
// restarted process would. The history holds a claim from OnStartedLeading to
// OnStoppedLeading (or, with Config.ClaimByIsLeader, for as long as IsLeader says so), the
// leader's writes to a resource that accepts them all, every read and update of the
// Lease object as P3 operations with the k8s model's key and methods (so k8s.OpModel
// checks them), and the faults.
//
// What cannot be modelled this way:
//
//   - Clocks. A bubble has one clock, shared by every goroutine: no per-node drift, no
//     offset, no clock step. client-go's tolerance to clock-rate skew is derived from its
//     source instead (see model/k8s's package documentation).
//   - Repeatability. The Go scheduler orders the goroutines woken at one instant as it
//     likes, and client-go draws its jitter (wait.Jitter) from math/rand's global
//     source, which cannot be seeded; so a seed does not reproduce a run bit for bit. What
//     is seeded is everything the harness draws: each candidate has its own
//     math/rand/v2 PCG source, seeded from (seed, candidate index), for its start
//     offset, delays and losses, and the resource writes have another. A seed's schedule of delays is thus
//     the same from run to run; its outcome is the same in distribution, which is what
//     the comparisons with the model use (statistics over many seeds, tolerances).
//   - The apiserver and etcd. The store is one object behind one lock: no watch cache,
//     no raft, no apiserver-side timeouts.
//
// The tests run real client-go on schedules with a known outcome (run_test.go) and
// compare it with the k8s model on the same schedules (compare_test.go: failover gaps,
// the slow-answer threshold by bisection, partitions of the leader), 50 seeds each, or
// 200 with LEASESIM_LONG=1; the README's "client-go: model vs real code" has the table.
package realk8s
