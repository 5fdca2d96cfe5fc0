package live

import (
	"math"
	"testing"

	"github.com/leasesim/leasesim/checker"
)

// TestRateOf: exact one-sided bounds at 95%, as the suite's rates. Each bound is checked
// by its definition: at High, k or fewer of n happen with probability 5%; at Low, k or
// more. At k = 0 the upper bound is 1 − 0.05^(1/n): 13.9% for 20 trials, where Wilson's
// two-sided interval said 16.1%.
func TestRateOf(t *testing.T) {
	// atMost is P(Binomial(n, p) <= k).
	atMost := func(k, n int, p float64) float64 {
		sum := 0.0
		for i := 0; i <= k; i++ {
			lc, _ := math.Lgamma(float64(n + 1))
			li, _ := math.Lgamma(float64(i + 1))
			lr, _ := math.Lgamma(float64(n - i + 1))
			sum += math.Exp(lc - li - lr + float64(i)*math.Log(p) + float64(n-i)*math.Log1p(-p))
		}
		return sum
	}
	for _, c := range []struct{ k, n int }{{0, 20}, {20, 20}, {10, 20}, {1, 10}, {5, 20}} {
		r := RateOf(c.k, c.n)
		if r.Confidence != 0.95 || r.Low > r.High {
			t.Errorf("RateOf(%d, %d) = [%v, %v] at %v", c.k, c.n, r.Low, r.High, r.Confidence)
		}
		if c.k < c.n {
			if got := atMost(c.k, c.n, r.High); math.Abs(got-0.05) > 1e-6 {
				t.Errorf("RateOf(%d, %d).High = %.4f: P(X <= %d) = %.4f there, want 0.05", c.k, c.n, r.High, c.k, got)
			}
		} else if r.High != 1 {
			t.Errorf("RateOf(%d, %d).High = %v, want 1", c.k, c.n, r.High)
		}
		if c.k > 0 {
			if got := 1 - atMost(c.k-1, c.n, r.Low); math.Abs(got-0.05) > 1e-6 {
				t.Errorf("RateOf(%d, %d).Low = %.4f: P(X >= %d) = %.4f there, want 0.05", c.k, c.n, r.Low, c.k, got)
			}
		} else if r.Low != 0 {
			t.Errorf("RateOf(%d, %d).Low = %v, want 0", c.k, c.n, r.Low)
		}
	}
	if r := RateOf(0, 0); r.Low != 0 || r.High != 1 {
		t.Errorf("RateOf(0, 0) = [%v, %v], want [0, 1]", r.Low, r.High)
	}
	// The bounds rounded outward, as the suite prints them, so that they hold: 1 of 4
	// is [1.27%, 75.14%], 2 of 4 [9.76%, 90.24%], printed "1–75%" and "10–90%" before.
	for _, c := range []struct {
		k, n int
		want string
	}{
		{0, 20, "0/20 (bounds 0–14% at 95%)"},
		{5, 20, "5/20 (bounds 10–46% at 95%)"},
		{1, 4, "1/4 (bounds 1.2–76% at 95%)"},
		{2, 4, "2/4 (bounds 9.7–91% at 95%)"},
		{3, 4, "3/4 (bounds 24–99% at 95%)"},
		{4, 4, "4/4 (bounds 47–100% at 95%)"},
		{0, 1000, "0/1,000 (bounds 0–0.30% at 95%)"},
	} {
		if got := RateOf(c.k, c.n).String(); got != c.want {
			t.Errorf("RateOf(%d, %d).String() = %q, want %q", c.k, c.n, got, c.want)
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
