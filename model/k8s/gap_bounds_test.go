package k8s_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/leasesim/leasesim/internal/modeltest"
)

// TestFailoverGapBothBounds checks the failover gap after the leader crashes
// (checker.Failover) against an analytic lower and upper bound, with the Lease object on
// one issuer node and on a 3-node raft cluster.
//
// LeaseDuration LD = 15s, RenewDeadline 10s, RetryPeriod RP = 100ms (short, so that the
// bounds are tight), one-way delays uniform in [dmin, dmax] = [1ms, 5ms], rates within
// 1 ± ρ (ρ = 100 ppm); C is a commit through the raft log and R a ReadIndex round (0 on
// one node, 2·dmax on three); a read is served within two rounds (the issuer runs one
// at a time, and a read that arrives during one waits for the next). The leader sends a renewal (a compare-and-swap stamped with
// its wall clock) RP after each answer, so the last one before the crash at t_c was sent
// at s_L > t_c − (RP/(1−ρ) + 2·dmax + C), and it commits at most dmax + C after the
// crash (one in flight). A candidate compares the record as client-go does, at whole
// seconds of the wall times: it records the time it first reads a record stamped in the
// same wall second as the last renewal. The first renewal stamped in that second was
// sent at s_1, less than a wall second before s_L, so s_1 > s_L − 1s/(1−ρ); it commits
// at least dmin later and the read that sees it is answered at least dmin after that.
// The candidate takes over when a read answered at least LD after that on its own clock
// shows the record unchanged, with a compare-and-swap that commits and is answered: at
// least 2·dmin more. The two worst cases meet (renewals stamped from just after a whole
// second to just before the next, the crash just before the following renewal), so no
// RetryPeriod comes back. Candidates read every RP plus up to 1.2·RP of jitter, so the
// first read after the last renewal's commit is answered within 2.2·RP/(1−ρ) + 2·dmax +
// 2·R, and so is the first read after the wait. So
//
//	LD/(1+ρ) − (1s + RP)/(1−ρ) − 2·dmax − C + 4·dmin <= gap
//	gap <= dmax + C + 2·(2.2·RP/(1−ρ) + 2·dmax + 2·R) + LD/(1−ρ) + 2·dmax + C
//
// That lower bound holds for a crash at any time. The catalog crashes the leader at
// t_c = 5.05s, just after a whole second of every wall clock (no offset; a wall second k
// begins at true time k/(1±ρ)), which pins s_1 down further: the leader's wall clock
// reads second W = ⌊t_c·(1−ρ)⌋ = 5 at the crash, and it renews far more often than once a
// second, so its last renewal was stamped in second W or W − 1, and the first renewal of
// that second was sent once the wall clock had reached W − 1: s_1 >= (W − 1)/(1+ρ). So
//
//	LD/(1+ρ) + 4·dmin − (t_c − (W−1)/(1+ρ)) <= gap
//
// (13.952s on one node), 60ms tighter than the general bound. On three nodes a
// compare-and-swap commits only once a follower has acknowledged it: its request reaches
// the raft leader, the leader's append reaches a follower and the follower's answer
// comes back, so a commit is at least 3·dmin after the send where one node's is dmin.
// Two commits lie on the path (s_1's, which the candidate must read, and the takeover's),
// so on three nodes the lower bound is 4·dmin higher: LD/(1+ρ) + 8·dmin − (t_c −
// (W−1)/(1+ρ)), 13.956s. And
//
//	gap <= dmax + C + 2·(2.2·RP/(1−ρ) + 2·dmax + 2·R) + LD/(1−ρ) + 2·dmax + C
//
// one node: [13.952s, 15.477s]; three: [13.956s, 15.537s]. A leader whose last renewal
// was stamped in second 4 gives a gap near the lower bound (runs come within about 55ms
// of it), one whose last renewal was stamped in second 5 a gap near LD. A candidate that
// waits 1% less than LD (150ms, 3% of the guard LD − RenewDeadline − RP) moves a quarter
// of the runs below the lower bound (5 of the catalog's 20 seeds, checked by planting it);
// under the general bound it moved none of them. On three nodes the gaps lie further
// above the bound: a renewal is a ReadIndex round and a commit, so renewals come less
// often and the first of a second comes later in it (the shortest gap is 14.052s over
// seeds 1–300, 14.143s over seeds 1–20). So k8s-raft-failover runs 60 seeds, over which
// the shortest is 14.074s, and ends at 21s, which is still past t_c + the upper bound
// (a takeover that never comes counts as a gap to the run's end, above the bound): a
// candidate 147ms early falls below the bound at seeds 56, 57, 58 and 60 (checked by
// planting it; it passes seeds 1–55).
// The upper bound, which adds two worst-case jittered polls, is looser: waiting 1% more
// stays inside it.
func TestFailoverGapBothBounds(t *testing.T) {
	const (
		LD, RP     = 15 * int64(time.Second), 100 * int64(time.Millisecond)
		dmin, dmax = int64(time.Millisecond), 5 * int64(time.Millisecond)
		tc         = 5050 * int64(time.Millisecond) // the catalog scenarios' crash
	)
	rho := 100e-6
	name := func(issuers int64) string {
		if issuers > 1 {
			return "k8s-raft-failover"
		}
		return "k8s-failover"
	}
	slow := func(d int64) int64 { return int64(float64(d)/(1-rho)) + 1 }
	for _, issuers := range []int64{1, 3} {
		t.Run(fmt.Sprintf("issuers=%d", issuers), func(t *testing.T) {
			var R, C, Cmin int64 // Cmin: the least a commit adds to the one-node path
			if issuers > 1 {
				R, C, Cmin = 2*dmax, 2*dmax, 2*dmin
			}
			sc := modeltest.Catalog(t, name(issuers))
			if len(sc.Faults) != 1 || sc.Faults[0].At != time.Duration(tc) {
				t.Fatalf("%s: the lower bound is derived for one crash at %v; the scenario has %d faults", sc.Name, time.Duration(tc), len(sc.Faults))
			}
			W := int64(float64(tc)*(1-rho)) / int64(time.Second)
			lower := int64(float64(LD)/(1+rho)) + 4*dmin + 2*Cmin - (tc - int64(float64((W-1)*int64(time.Second))/(1+rho)))
			upper := dmax + C + 2*(slow(RP*22/10)+2*dmax+2*R) + slow(LD) + 2*dmax + C
			modeltest.GapBounds(t, sc, modeltest.Seeds(200, 2000), lower, upper, 0.4)
		})
	}
}
