package runner

import (
	"context"
	"sort"

	"github.com/leasesim/leasesim/result"
	"github.com/leasesim/leasesim/scenarios"
)

// Job is one seed of one scenario.
type Job struct {
	Scenario int // index into the suite's scenarios
	Seed     uint64
}

// Jobs lists every (scenario, seed) of a suite in a fixed order: scenarios in the given
// order, seeds in each scenario's order.
func Jobs(scs []*scenarios.Scenario) []Job {
	var out []Job
	for i, sc := range scs {
		for _, s := range sc.SeedList() {
			out = append(out, Job{Scenario: i, Seed: s})
		}
	}
	return out
}

// Shard keeps the jobs of shard i of n (1-based i): job k belongs to shard k mod n + 1.
// The split depends only on the job list, so every machine computes the same shards.
func Shard(jobs []Job, i, n int) []Job {
	if n <= 1 {
		return jobs
	}
	var out []Job
	for k, j := range jobs {
		if k%n == i-1 {
			out = append(out, j)
		}
	}
	return out
}

// SuiteOptions tune a suite run.
type SuiteOptions struct {
	Options
	// Workers is the number of runs in parallel; 0 means GOMAXPROCS.
	Workers int
	// KeepHistories keeps every run's history in the returned runs; by default they are
	// dropped after checking, so that memory does not grow with the seed count.
	KeepHistories bool
	// OnRun is called (from one goroutine at a time) after each run finishes, with its
	// history even when KeepHistories is off (it is dropped afterwards).
	OnRun func(Job, *Run)
	// OnInternalError is called (from one goroutine at a time) when a job panicked,
	// before its scenario's OnScenario. The job's run is nil.
	OnInternalError func(Job, *InternalError)
	// OnScenario is called (from one goroutine at a time) when every job of a scenario
	// has finished, with its results in seed order (jobs that panicked or failed to build
	// are left out).
	OnScenario func(i int, runs []*Run)
}

// RunJobs runs jobs in parallel and returns their runs in job order: the results do not
// depend on the number of workers. A job that panics does not stop the others: its run
// is nil, OnInternalError hears of it, and RunJobs returns the first such
// *InternalError once every job has run. Runs that fail to build (bad input) return the
// error of the first such job, which takes precedence. When ctx is cancelled, no new job
// starts; the runs finished so far are returned (nil where a job did not run) with ctx's
// error, unless a job failed to build or panicked.
func RunJobs(ctx context.Context, scs []*scenarios.Scenario, jobs []Job, opt SuiteOptions) ([]*Run, error) {
	total := map[int]int{}
	for _, j := range jobs {
		total[j.Scenario]++
	}
	dispatched := map[int]int{}
	next := 0
	src := source{
		next: func() (Job, bool) {
			if next >= len(jobs) {
				return Job{}, false
			}
			j := jobs[next]
			next++
			dispatched[j.Scenario]++
			return j, true
		},
		done: func(i int) bool { return total[i] > 0 && dispatched[i] == total[i] },
	}
	p := runPool(ctx, scs, src, opt)
	runs := make([]*Run, len(jobs))
	copy(runs, p.runs)
	return runs, p.err(ctx, scs)
}

func scenarioRuns(jobs []Job, runs []*Run, i int) []*Run {
	var out []*Run
	for k, j := range jobs {
		if j.Scenario == i && runs[k] != nil {
			out = append(out, runs[k])
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].Result.Seed < out[b].Result.Seed })
	return out
}

// Summarize evaluates a scenario's expectations over its runs (result.Evaluate).
func Summarize(sc *scenarios.Scenario, file string, runs []*Run) result.ScenarioResult {
	r := result.ScenarioResult{Scenario: sc.Name, Description: sc.Description, File: file,
		Protocol: sc.Protocol, Mutant: sc.Mutant, PlannedSeeds: sc.Seeds.Count, DurationNs: int64(sc.Duration)}
	for _, run := range runs {
		r.Runs = append(r.Runs, run.Result)
	}
	r.Evaluate(sc.Expect)
	return r
}
