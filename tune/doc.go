// Package tune searches the lease family's parameters (lease, renew, guard) for a
// scenario under the worst clocks that given drift and offset bounds allow, and
// recommends the candidate with the least unavailability that is safe on every seed and
// has a guard at or above the analytic bound (lease.MinGuard). It also builds the
// scenario files `leasesim tune` writes: the recommendation, and a guard just below the
// bound that shows the overlap.
package tune
