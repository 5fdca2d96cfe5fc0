package live

import (
	"math"
	"testing"

	"github.com/leasesim/leasesim/checker"
)

// TestWilson: the Wilson score interval against values computed by hand (z = 1.96).
func TestWilson(t *testing.T) {
	for _, c := range []struct {
		k, n      int
		low, high float64
	}{
		{0, 20, 0, 0.1611},
		{20, 20, 0.8389, 1},
		{10, 20, 0.2993, 0.7007},
		{1, 10, 0.0179, 0.4042},
		{0, 0, 0, 1},
	} {
		r := Wilson(c.k, c.n)
		if math.Abs(r.Low-c.low) > 5e-4 || math.Abs(r.High-c.high) > 5e-4 {
			t.Errorf("Wilson(%d, %d) = [%.4f, %.4f], want [%.4f, %.4f]", c.k, c.n, r.Low, r.High, c.low, c.high)
		}
	}
}

// TestSummarize: belief overlaps are counted and measured, not judged; a P2 finding is
// both an effective overlap and a violating trial; failover gaps and fence rejections
// are taken from the checker's metrics.
func TestSummarize(t *testing.T) {
	ok := checker.Result{Verdict: checker.Violated, Findings: []checker.Finding{
		{Kind: checker.P1, Holders: []string{"A", "B"}, From: 1e9, To: 1.5e9},
	}, Metrics: checker.Metrics{RejectedWrites: 3, MaxGapNs: 2e9,
		Failovers: []checker.Failover{{Recovered: true, GapNs: 2.5e9}, {Recovered: false, GapNs: 9e9}}}}
	bad := checker.Result{Verdict: checker.Violated, Findings: []checker.Finding{
		{Kind: checker.P2, Holders: []string{"A", "B"}, From: 3e9, To: 3e9},
	}, Metrics: checker.Metrics{AcceptedStaleWrites: 1, Failovers: []checker.Failover{{Recovered: true, GapNs: 1e9}}}}
	s := Summarize("test", []checker.Result{ok, bad}, []int64{10e9, 10e9})
	if s.Violating.K != 1 || s.BeliefOverlap.K != 1 || s.EffectiveOverlaps.K != 1 || s.Trials != 2 {
		t.Errorf("violating %v, belief %v, effective %v, trials %d; want 1, 1, 1 of 2", s.Violating, s.BeliefOverlap, s.EffectiveOverlaps, s.Trials)
	}
	if s.MaxBeliefOverlapMS != 500 || s.BeliefOverlaps != 1 {
		t.Errorf("belief overlaps %d, widest %vms; want 1, 500ms", s.BeliefOverlaps, s.MaxBeliefOverlapMS)
	}
	if s.Failovers != 2 || s.MinFailoverMS != 1000 || s.MaxFailoverMS != 2500 {
		t.Errorf("failovers %d in [%v, %v]ms; want 2 in [1000, 2500]", s.Failovers, s.MinFailoverMS, s.MaxFailoverMS)
	}
	if s.RejectedWrites != 3 || s.AcceptedStaleWrites != 1 || s.MaxGapMS != 2000 {
		t.Errorf("rejected %d, stale %d, max gap %vms; want 3, 1, 2000", s.RejectedWrites, s.AcceptedStaleWrites, s.MaxGapMS)
	}
}
