package modeltest

import (
	"math"
	"testing"
	"time"

	"github.com/leasesim/leasesim/scenarios"
)

// GapBounds runs n seeds (from 1) of sc, a scenario in which the leading holder crashes,
// and checks every run: no finding, at least one failover (checker.Failover), and every
// failover gap within [lower, upper] (ns). It fails too when the gaps measured over at
// least 100 seeds span less than minSpan of that range (the bounds are then loose, not
// just true; 0 skips that check, as do fewer seeds: the race detector's runs), and when the scenario's own failover_gap_min or failover_gap_max bound
// is more than a millisecond away from lower or upper (a catalog file states the bounds
// the test derives). It returns the shortest and longest gap measured.
func GapBounds(t *testing.T, sc *scenarios.Scenario, n int, lower, upper int64, minSpan float64) (lo, hi int64) {
	t.Helper()
	for _, b := range sc.Expect.Bounds {
		want := map[string]int64{"failover_gap_min": lower, "failover_gap_max": upper}
		if w, ok := want[b.Metric]; ok && math.Abs(b.Value-float64(w)) > float64(time.Millisecond) {
			t.Errorf("%s: expects %s %s %s; the analytic bound is %v", sc.Name, b.Metric, b.Op, b.Text, time.Duration(w))
		}
	}
	lo, hi = int64(1<<62), int64(0)
	for _, r := range Run(t, sc, SeedRange(1, n)) {
		seed := r.Result.Seed
		if len(r.Check.Findings) > 0 {
			f := r.Check.Findings[0]
			t.Fatalf("%s seed %d: %s %v: %s", sc.Name, seed, f.Kind, f.Holders, f.Detail)
		}
		fos := r.Check.Metrics.Failovers
		if len(fos) == 0 {
			t.Fatalf("%s seed %d: no holder crashed while it led: the scenario shows no failover", sc.Name, seed)
		}
		for _, f := range fos {
			if f.GapNs < lower || f.GapNs > upper {
				t.Errorf("%s seed %d: %s crashed at %v and the lease was held again %v later, outside the analytic bounds [%v, %v]",
					sc.Name, seed, f.Holder, time.Duration(f.At), time.Duration(f.GapNs), time.Duration(lower), time.Duration(upper))
			}
			lo, hi = min(lo, f.GapNs), max(hi, f.GapNs)
		}
	}
	if span := float64(hi - lo); minSpan > 0 && n >= 100 && span < minSpan*float64(upper-lower) {
		t.Errorf("%s: failover gaps over %d seeds span only [%v, %v] of the bounds [%v, %v]: the bounds are loose",
			sc.Name, n, time.Duration(lo), time.Duration(hi), time.Duration(lower), time.Duration(upper))
	}
	t.Logf("%s: failover gaps over %d seeds in [%v, %v], analytic bounds [%v, %v]",
		sc.Name, n, time.Duration(lo), time.Duration(hi), time.Duration(lower), time.Duration(upper))
	return lo, hi
}
