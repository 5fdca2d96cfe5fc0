package modeltest

import (
	"context"
	"testing"

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
