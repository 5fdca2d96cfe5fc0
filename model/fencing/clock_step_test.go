package fencing_test

import (
	"testing"
	"time"

	"github.com/leasesim/leasesim/internal/modeltest"
	"github.com/leasesim/leasesim/sim"
)

// TestClockStepVersionHandover derives the handover of fencing-clock-step-version and
// checks it. Version mode: lease L = 5s, guard g = 250ms, renew r = 125ms, one-way delays
// in [dmin, dmax] = [1ms, 5ms], rates within 1 ± ρ (ρ = 100 ppm). From t_cut = 10s the
// leader's requests are lost and Q's answers still arrive; wall clocks are stepped (the
// leader's 4s back, every contender's 4s forward) after the contenders have seen the
// leader's last version and before its claim can end.
//
// Q processed the leader's last request at t_q and its grant arrived, so the leader
// claims until s + (L−g) on its monotonic clock, s in [t_q − dmax, t_q − dmin] that
// request's send. The version does not change after t_q. A contender first sees it in the
// deny of its first request to reach Q after t_q, sent at its tick τ0 in (t_q − dmax,
// t_q + r/(1−ρ) − dmin], and takes over at its first tick j·r after τ0 (on its monotonic
// clock) with j·r − (the deny's round trip) >= L + g: r divides L + g, so j =
// ⌊(L+g)/r⌋ + 1 = 43 = ⌈(L+g+2·dmax)/r⌉ (model/lease TestFailoverGapBothBounds). Q's grant
// answers the takeover [2·dmin, 2·dmax] later. So the next claim starts after the old one
// ends by
//
//	43·r/(1+ρ) − (L−g)/(1−ρ) − dmax + 3·dmin               >= 622ms
//	r/(1−ρ) + 43·r/(1−ρ) − (L−g)/(1+ρ) + 3·dmax − dmin      <= 765ms
//
// whatever the wall clocks do. The steps (4s) exceed the largest spacing: a contender
// that watched the version on its wall clock, or a holder that counted its lease on its
// wall clock, would overlap the other in every seed (checked by planting each: P1
// violated in 20 of 20, P2 held by the fenced resource). The test checks the schedule
// against the derivation (the steps after the contenders' latest first sight, t_cut +
// dmax + r/(1−ρ) + 2·dmax, and before the leader's earliest claim end, t_cut −
// 2r/(1−ρ) − dmax + (L−g)/(1+ρ)), the spacing measured over many seeds, and that the
// file's max_gap bound is the largest spacing (the handover is the run's longest stretch
// without a leader).
func TestClockStepVersionHandover(t *testing.T) {
	const (
		L, r, g    = 5 * int64(time.Second), 125 * int64(time.Millisecond), 250 * int64(time.Millisecond)
		dmin, dmax = int64(time.Millisecond), 5 * int64(time.Millisecond)
		step       = 4 * int64(time.Second)
	)
	rho := 100e-6
	fast := func(d int64) int64 { return int64(float64(d) / (1 + rho)) }
	slow := func(d int64) int64 { return int64(float64(d)/(1-rho)) + 1 }
	j := (L+g)/r + 1 // the takeover tick: r divides L + g
	if (L+g)%r != 0 || (L+g+2*dmax+r-1)/r != j {
		t.Fatalf("the derivation needs r to divide L + g and L + g + 2·dmax to round up to the same tick")
	}
	lower := fast(j*r) - slow(L-g) - dmax + 3*dmin
	upper := slow(r) + slow(j*r) - fast(L-g) + 3*dmax - dmin
	if lower <= 0 || upper >= step {
		t.Fatalf("derived spacing [%v, %v]: want it positive and below the steps %v", time.Duration(lower), time.Duration(upper), time.Duration(step))
	}
	sc := modeltest.Catalog(t, "fencing-clock-step-version")
	if sc.Values.String("expiry") != "version" || len(sc.Faults) != 5 || sc.Faults[0].Kind != sim.FaultCutOneway {
		t.Fatalf("%s: the derivation assumes version mode, one one-way cut and four steps", sc.Name)
	}
	cut := int64(sc.Faults[0].At)
	seen := cut + dmax + slow(r) + 2*dmax
	earliest := cut - slow(2*r) - dmax + fast(L-g)
	for _, f := range sc.Faults[1:] {
		if f.Kind != sim.FaultClockStep || int64(f.At) <= seen || int64(f.At) >= earliest {
			t.Fatalf("%s: a fault at %v; the derivation wants only steps, after the contenders see the last version (%v) and before the leader's claim can end (%v)",
				sc.Name, f.At, time.Duration(seen), time.Duration(earliest))
		}
	}
	modeltest.HandoverWithin(t, sc, modeltest.Seeds(200, 2000), lower, upper)
}
