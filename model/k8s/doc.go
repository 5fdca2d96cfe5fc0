// Package k8s is Kubernetes-style leader election (client-go's leaderelection package)
// over a Lease object stored in the etcd-like service of model/etcd (docs/scenarios.md).
//
// The issuer is the etcd-like service itself — one node or a 3/5-node raft cluster —
// holding one object, leases/kube-system/leader, whose value is the election record
// (holder, lease duration, acquire and renew times by the writer's wall clock,
// transitions). Holders run client-go's LeaderElector: reads, and updates by
// compare-and-swap on the object's mod revision (Kubernetes' optimistic concurrency on
// resourceVersion). Decisions are made from locally observed time: a candidate takes the
// lease over only when the record has not changed for LeaseDuration since it saw it
// change, by its own monotonic clock; the leader stops leading when a renew round has not
// succeeded RenewDeadline after it started (RetryPeriod after the last success). The
// record's timestamps are never used for decisions; the mutant trusts-remote-timestamps
// shows why.
//
// P3 checks the Lease object's history with OpModel: a read shows the latest write, or an
// update whose answer never came, never a value or a revision nobody wrote, and an update
// answered "conflict" wrote nothing. That last rule holds in real etcd because a request
// executes at most once: gRPC over TCP never delivers a request twice, etcd's client
// retries a mutation only when it never reached the server, and the elector never resends
// one (a retry is a new call in the history). The simulator agrees: client requests are
// sent AtMostOnce, exempt from the network's `duplicate` (they are still lost, delayed and
// reordered). Were they duplicated, a compare-and-swap would execute twice and the second
// copy's "conflict" could overtake the first copy's success, so the elector would be told
// its renewal failed while a later read shows it — a history real etcd cannot produce.
//
// What the package is not: it has no apiserver (the elector talks to the service
// directly, as if through a transparent proxy), no lease object of etcd (keys are bound
// to no lease; nothing expires on the issuer), and no release on cancel (a stopped
// leader's record simply runs out).
//
// Safety needs LeaseDuration > RetryPeriod + RenewDeadline + the delay between a
// renewal's commit and the leader learning of it, with clock rates inside the ratio
// LeaseDuration / (RetryPeriod + RenewDeadline): the catalog's k8s-drift-inside,
// k8s-drift-outside and k8s-slow-responses probe both edges. client-go's package
// documentation gives the tolerated rate ratio as LeaseDuration / RenewDeadline; that
// leaves out the RetryPeriod between the leader's last success and the start of the
// renewal round that gives up, and k8s-drift-outside breaks at a ratio inside it.
package k8s
