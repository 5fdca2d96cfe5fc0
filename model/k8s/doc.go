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
//
// The ratio, from client-go's source (k8s.io/client-go/tools/leaderelection, v0.37;
// realk8s runs that code, but in one shared clock, so it cannot run this finding):
//
//   - LeaderElector.renew runs rounds with wait.UntilWithContext(ctx, round,
//     RetryPeriod), which starts the next round RetryPeriod after the last one returned
//     (older releases: wait.Until). A round is wait.PollUntilContextTimeout(ctx,
//     RetryPeriod, RenewDeadline, true, tryAcquireOrRenew) (older: wait.PollImmediateUntil
//     under a RenewDeadline timeout): it calls at once, then every RetryPeriod, and gives
//     up RenewDeadline after the round started; then renew returns and Run calls
//     OnStoppedLeading. So a leader whose last renewal returned at s leads until
//     s + RetryPeriod + RenewDeadline by its own clock, not s + RenewDeadline.
//   - tryAcquireOrRenew, in a candidate, sets observedTime to its own clock.Now() when
//     the record's raw bytes differ from the last ones it saw (setObservedRecord), and
//     writes itself in only when isLeaseValid(now) is false: observedTime +
//     LeaseDurationSeconds is not after now. It saw the renewal no earlier than its
//     commit, which is no later than s.
//
// With the leader's clock running at rate r_L and the candidate's at r_C (local seconds
// per true second), the leader leads until s + (RetryPeriod + RenewDeadline)/r_L in true
// time and the candidate takes over no earlier than c + LeaseDuration/r_C, c <= s the
// commit. With answers at once (c = s) exclusion needs r_C/r_L < LeaseDuration /
// (RetryPeriod + RenewDeadline): 1.25 for the defaults, not the 1.5 of LeaseDuration /
// RenewDeadline; and s − c, the answer's delay, comes off the same margin.
//
// Whole seconds. LeaseLock.Get returns the record's raw bytes as json.Marshal of a
// LeaderElectionRecord, whose AcquireTime and RenewTime are metav1.Time, marshalled as
// RFC3339 at whole seconds (the Unix seconds rounded down), and tryAcquireOrRenew resets
// observedTime only when those bytes change. So the model's candidate treats the record
// as changed only when its holder, lease duration, transition count, or the whole
// seconds of its acquire or renew time change (found by realk8s, which runs the real
// code: comparing at nanoseconds, as the model first did, disagreed with it). Renewals
// within one wall second of the leader look the same, and a candidate keeps counting
// from the first of them it saw: stamped up to 1s/r_L of true time before the leader's
// last renewal, stamped at w and answered at s. So exclusion needs
//
//	LeaseDuration/r_C > (RetryPeriod + RenewDeadline)/r_L + 1s/r_L + (s − w)
//
// while renewals come less than a second apart on the leader's wall clock (a RetryPeriod
// of a second or more, as the default 2s, puts each renewal in a new second, and the 1s
// term drops: the catalog's findings with the defaults stand). A margin LeaseDuration − RenewDeadline − RetryPeriod under about a second,
// which client-go accepts (it checks LeaseDuration > RenewDeadline > 1.2·RetryPeriod),
// gives two leaders when the leader is merely cut off (TestSubSecondMargin; realk8s
// TestCompareSubSecondMargin), and with RetryPeriod 100ms the failover gap after a
// crash is up to a second shorter than LeaseDuration (TestFailoverGapBothBounds; realk8s
// TestCompareFailoverFastRetry). A leader's wall clock stepped back re-stamps a second
// it already used, which stretches the same-looking window further.
package k8s
