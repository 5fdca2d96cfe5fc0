package modeltest

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/leasesim/leasesim/history"
	"github.com/leasesim/leasesim/internal/runner"
	"github.com/leasesim/leasesim/scenarios"
)

// HandoverSpacing runs n seeds (from 1) of sc and returns the shortest and longest time
// from the end of one holder's claim on the leader lease to the start of the next claim
// by another holder (negative when they overlap); it fails the test when a run has no
// handover. The derivation tests of the clock-step and margin scenarios compare it with
// the spacing they derive.
func HandoverSpacing(t *testing.T, sc *scenarios.Scenario, n int) (lo, hi int64) {
	t.Helper()
	jobs := make([]runner.Job, n)
	for i := range jobs {
		jobs[i] = runner.Job{Seed: uint64(i + 1)}
	}
	runs, err := runner.RunJobs(context.Background(), []*scenarios.Scenario{sc}, jobs, runner.SuiteOptions{KeepHistories: true})
	if err != nil {
		t.Fatal(err)
	}
	lo, hi = int64(1<<62), int64(-1<<62)
	for _, r := range runs {
		var prev *history.Claim
		found := false
		for i := range r.History.Claims {
			c := &r.History.Claims[i]
			if c.Lease != history.LeaderLease {
				continue
			}
			if prev != nil && c.Holder != prev.Holder {
				d := c.From - prev.To
				lo, hi, found = min(lo, d), max(hi, d), true
			}
			prev = c
		}
		if !found {
			t.Fatalf("%s seed %d: no handover of the leader lease", sc.Name, r.Result.Seed)
		}
	}
	return lo, hi
}

// HandoverWithin checks a derived handover spacing [lower, upper] (ns) against sc: a
// max_gap bound the file states must be upper (within a millisecond: the handover is the
// run's longest stretch without a leader), and over n seeds (from 1) no run may have a
// finding and every handover's spacing must lie within the range. It logs the spacing
// measured.
func HandoverWithin(t *testing.T, sc *scenarios.Scenario, n int, lower, upper int64) {
	t.Helper()
	for _, b := range sc.Expect.Bounds {
		if b.Metric == "max_gap" && math.Abs(b.Value-float64(upper)) > float64(time.Millisecond) {
			t.Errorf("%s: expects max_gap %s %s; the derived largest spacing is %v", sc.Name, b.Op, b.Text, time.Duration(upper))
		}
	}
	if t.Failed() {
		return
	}
	NoFindings(t, sc, n)
	lo, hi := HandoverSpacing(t, sc, n)
	if lo < lower || hi > upper {
		t.Errorf("%s: handovers spaced [%v, %v] over %d seeds, outside the derived [%v, %v]",
			sc.Name, time.Duration(lo), time.Duration(hi), n, time.Duration(lower), time.Duration(upper))
	}
	t.Logf("%s: handovers spaced [%v, %v] over %d seeds, derived [%v, %v]", sc.Name, time.Duration(lo), time.Duration(hi), n, time.Duration(lower), time.Duration(upper))
}
