package liverun

import (
	"context"
	"encoding/json"
	"path/filepath"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/internal/rundir"
	"github.com/leasesim/leasesim/internal/runner"
	"github.com/leasesim/leasesim/live"
	"github.com/leasesim/leasesim/scenarios"
)

// Summarize sums up the live trials.
func Summarize(results []live.TrialResult) live.Summary {
	var checks []checker.Result
	var ends []int64
	for _, r := range results {
		checks = append(checks, r.Check)
		var end int64
		if r.History != nil {
			end = r.History.Meta.End
		}
		ends = append(ends, end)
	}
	return live.Summarize("real etcd", checks, ends)
}

// SimulateAlongside runs the scenario in the simulator (its etcd model) with as many
// seeds as live trials ran, from the same first seed, and sums the runs up as the live
// trials are.
func SimulateAlongside(ctx context.Context, sc *scenarios.Scenario, seed uint64, n int) (live.Summary, error) {
	var jobs []runner.Job
	for i := range n {
		jobs = append(jobs, runner.Job{Seed: seed + uint64(i)})
	}
	var checks []checker.Result
	var ends []int64
	runs, err := runner.RunJobs(ctx, []*scenarios.Scenario{sc}, jobs, runner.SuiteOptions{KeepHistories: true})
	if err != nil {
		return live.Summary{}, err
	}
	for _, r := range runs {
		if r == nil || r.History == nil {
			continue
		}
		checks = append(checks, r.Check)
		ends = append(ends, r.History.Meta.End)
	}
	return live.Summarize("simulated etcd model", checks, ends), nil
}

// WriteSummary writes summary.json: the summaries, one per source.
func WriteSummary(dir string, ss []live.Summary) error {
	b, _ := json.MarshalIndent(ss, "", "  ")
	return rundir.WriteFile(filepath.Join(dir, "summary.json"), append(b, '\n'))
}
