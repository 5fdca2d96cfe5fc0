package k8s_test

import (
	"testing"
	"time"

	"github.com/leasesim/leasesim/internal/modeltest"
	"github.com/leasesim/leasesim/sim"
)

// TestClockStepHandover derives the handover of k8s-clock-step and checks it: the leader
// is cut off from the issuer at t_cut = 20s; wall clocks are stepped (the leader's 12s
// back, every candidate's 12s forward) after the candidates have seen its last renewal
// and before they take over. LeaseDuration LD = 15s, RenewDeadline RD = 10s, RetryPeriod
// RP = 2s, one issuer, one-way delays in [dmin, dmax] = [1ms, 5ms], rates within 1 ± ρ
// (ρ = 100 ppm). Renewals come RP apart, so each is stamped in a new wall second and the
// whole-second comparison (see TestFailoverGapBothBounds) plays no part.
//
// The last renewal the leader heard back committed at c and returned at s, c + dmin <=
// s <= c + dmax; the leader leads until s + (RP+RD) on its monotonic clock, true time
// s + (RP+RD)/(1±ρ). A later renewal may have committed unanswered (the cut), which only
// moves the candidates' count later. A candidate first sees the last committed renewal
// in a read answered at o >= c + dmin, and o <= c + 2.2·RP/(1−ρ) + 2·dmax (it reads every
// RP plus up to 1.2·RP of jitter); it takes over after a read answered at least LD
// after o on its monotonic clock, with a compare-and-swap that commits and is answered,
// [2·dmin, 2·dmax] later, the read itself within 2.2·RP/(1−ρ) + 2·dmax of LD. So the next
// claim starts after the old one ends by
//
//	LD/(1+ρ) − (RP+RD)/(1−ρ) − dmax + 3·dmin                    >= 2.995s
//	LD/(1−ρ) − (RP+RD)/(1+ρ) + 4.4·RP/(1−ρ) + 6·dmax − dmin     <= 11.83s
//
// whatever the wall clocks do. The steps are 12s, more than the largest spacing: a
// candidate that counted LD on its wall clock would take over before the leader's
// deadline, and a leader that counted RP + RD on its wall clock would lead past the
// takeover, in every seed (checked by planting each: P1 and P2 violated in 20 of 20).
// The test checks the scenario's schedule against the derivation's assumptions (the
// candidates see the last renewal, at most c + 2.2·RP/(1−ρ) + 2·dmax <= 24.43s, before
// the steps; the steps come before the leader's claim can end, t_cut − RP/(1−ρ) −
// 2·dmax + (RP+RD)/(1+ρ) = 29.99s, so before any takeover) and the spacing measured over
// many seeds.
func TestClockStepHandover(t *testing.T) {
	const (
		LD, RD, RP = 15 * int64(time.Second), 10 * int64(time.Second), 2 * int64(time.Second)
		dmin, dmax = int64(time.Millisecond), 5 * int64(time.Millisecond)
		step       = 12 * int64(time.Second)
	)
	rho := 100e-6
	fast := func(d int64) int64 { return int64(float64(d) / (1 + rho)) }
	slow := func(d int64) int64 { return int64(float64(d)/(1-rho)) + 1 }
	lower := fast(LD) - slow(RP+RD) - dmax + 3*dmin
	upper := slow(LD) - fast(RP+RD) + slow(RP*44/10) + 6*dmax - dmin
	if lower <= 0 || upper >= step {
		t.Fatalf("derived spacing [%v, %v]: want it positive and below the steps %v", time.Duration(lower), time.Duration(upper), time.Duration(step))
	}
	sc := modeltest.Catalog(t, "k8s-clock-step")
	if len(sc.Faults) != 5 || sc.Faults[0].Kind != sim.FaultCut {
		t.Fatalf("%s: the derivation assumes one cut and four steps; the scenario has %d faults", sc.Name, len(sc.Faults))
	}
	cut := int64(sc.Faults[0].At)
	seen := cut + dmax + slow(RP*22/10) + 2*dmax // the latest commit, then the latest sight
	earliest := cut - slow(RP) - 2*dmax + fast(RP+RD)
	for _, f := range sc.Faults[1:] {
		if f.Kind != sim.FaultClockStep || int64(f.At) <= seen || int64(f.At) >= earliest {
			t.Fatalf("%s: a step at %v; the derivation wants every step after the candidates see the last renewal (%v) and before the leader's claim can end (%v)",
				sc.Name, f.At, time.Duration(seen), time.Duration(earliest))
		}
	}
	modeltest.HandoverWithin(t, sc, modeltest.Seeds(200, 2000), lower, upper)
}
