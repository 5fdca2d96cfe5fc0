// Package tune searches the lease family's parameters (lease, renew, guard) for a
// scenario under the worst clocks that given drift and offset bounds allow, and
// recommends the candidate with the least unavailability that is safe on every seed and
// has a guard at or above the analytic bound (lease.MinGuard). It also builds the
// scenario files `leasesim tune` writes: the recommendation, and a guard just below the
// bound that shows the overlap.
//
// Under a violation-rate target (RateTarget, tune --max-violation-rate) "safe on every
// seed" becomes a measured rate: the eligible candidates are decided in the order of
// preference, each running seeds (doubling) until the one-sided Clopper–Pearson bound on
// its rate of violating seeds is wholly below or above the target, and the first that
// qualifies is recommended.
package tune
