package runner

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sort"
	"sync"

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
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	runs := make([]*Run, len(jobs))
	errs := make([]error, len(jobs))
	remaining := map[int]int{}
	for _, j := range jobs {
		remaining[j.Scenario]++
	}
	var mu sync.Mutex
	// finish records job k's run and calls the callbacks, one goroutine at a time. A
	// panic in a callback is the job's internal error (the other jobs go on).
	finish := func(k int, j Job, r *Run, err error) {
		mu.Lock()
		defer mu.Unlock()
		defer func() {
			if v := recover(); v != nil {
				errs[k] = newInternalError(scs[j.Scenario].Name, j.Seed, v)
			}
		}()
		runs[k], errs[k] = r, err
		var ie *InternalError
		if errors.As(err, &ie) && opt.OnInternalError != nil {
			opt.OnInternalError(j, ie)
		}
		if r != nil && opt.OnRun != nil {
			opt.OnRun(j, r)
		}
		if r != nil && !opt.KeepHistories {
			r.History = nil
		}
		remaining[j.Scenario]--
		if remaining[j.Scenario] == 0 && opt.OnScenario != nil {
			opt.OnScenario(j.Scenario, scenarioRuns(jobs, runs, j.Scenario))
		}
	}
	next := 0
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				if next >= len(jobs) || ctx.Err() != nil {
					mu.Unlock()
					return
				}
				k := next
				next++
				mu.Unlock()
				j := jobs[k]
				r, err := RunSeed(scs[j.Scenario], j.Seed, opt.Options)
				finish(k, j, r, err)
			}
		}()
	}
	wg.Wait()
	var internal error
	for k, err := range errs {
		var ie *InternalError
		if errors.As(err, &ie) {
			if internal == nil {
				internal = ie
			}
			continue
		}
		if err != nil {
			return runs, fmt.Errorf("%s seed %d: %w", scs[jobs[k].Scenario].Name, jobs[k].Seed, err)
		}
	}
	if internal != nil {
		return runs, internal
	}
	return runs, ctx.Err()
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
