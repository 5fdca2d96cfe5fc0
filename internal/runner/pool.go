package runner

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"

	"github.com/leasesim/leasesim/scenarios"
)

// source hands out the jobs of a pool, one at a time, in a fixed order. Both functions
// are called with the pool's lock held, so the jobs handed out are always a prefix of
// the order, whatever the number of workers.
type source struct {
	// next returns the next job, or false when there is none (or none may start).
	next func() (Job, bool)
	// done reports whether no further job of scenario i will be handed out (a
	// cancelled context aside): once its jobs in flight finish, OnScenario is called.
	done func(i int) bool
}

// pool is what runPool ran: the jobs in the order they were handed out, with the run
// and error of each.
type pool struct {
	jobs []Job
	runs []*Run
	errs []error
}

// runPool runs the jobs of src on opt.Workers goroutines until src has none left or ctx
// is cancelled; a job that started always finishes. The callbacks of opt are called one
// at a time; OnScenario when a scenario is done and has no job in flight (so not for one
// that a cancelled ctx cut short, whose done stays false). A panic in a callback is its
// job's internal error.
func runPool(ctx context.Context, scs []*scenarios.Scenario, src source, opt SuiteOptions) *pool {
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	p := &pool{}
	inflight := map[int]int{}
	reported := map[int]bool{}
	var mu sync.Mutex
	// report calls OnScenario for scenario i if it is done and idle (mu held).
	report := func(i int) {
		if reported[i] || inflight[i] > 0 || !src.done(i) {
			return
		}
		reported[i] = true
		if opt.OnScenario != nil {
			opt.OnScenario(i, scenarioRuns(p.jobs, p.runs, i))
		}
	}
	// finish records job k's run and calls the callbacks, one goroutine at a time.
	finish := func(k int, j Job, r *Run, err error) {
		mu.Lock()
		defer mu.Unlock()
		defer func() {
			if v := recover(); v != nil {
				p.errs[k] = newInternalError(scs[j.Scenario].Name, j.Seed, v)
			}
		}()
		p.runs[k], p.errs[k] = r, err
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
		inflight[j.Scenario]--
		report(j.Scenario)
	}
	// take hands out the next job (mu held); when there is none, it reports every
	// scenario that became done without a job in flight (a stopped budget).
	exhausted := false
	take := func() (int, Job, bool) {
		if exhausted || ctx.Err() != nil {
			return 0, Job{}, false
		}
		j, ok := src.next()
		if !ok {
			exhausted = true
			for i := range scs {
				p.reportSafely(scs[i].Name, i, report)
			}
			return 0, Job{}, false
		}
		p.jobs = append(p.jobs, j)
		p.runs = append(p.runs, nil)
		p.errs = append(p.errs, nil)
		inflight[j.Scenario]++
		return len(p.jobs) - 1, j, true
	}
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				k, j, ok := take()
				mu.Unlock()
				if !ok {
					return
				}
				r, err := RunSeed(scs[j.Scenario], j.Seed, opt.Options)
				finish(k, j, r, err)
			}
		}()
	}
	wg.Wait()
	return p
}

// reportSafely calls report(i) for the scenario named name, turning a panic of
// OnScenario into an internal error (of no seed: seed 0) appended to errs, past the jobs'.
func (p *pool) reportSafely(name string, i int, report func(int)) {
	defer func() {
		if v := recover(); v != nil {
			p.errs = append(p.errs, newInternalError(name, 0, v))
		}
	}()
	report(i)
}

// err is the pool's error: the first job that failed to build (bad input), else the
// first internal error, else ctx's error.
func (p *pool) err(ctx context.Context, scs []*scenarios.Scenario) error {
	var internal error
	for k, err := range p.errs {
		var ie *InternalError
		if errors.As(err, &ie) {
			if internal == nil {
				internal = ie
			}
			continue
		}
		if err != nil {
			return fmt.Errorf("%s seed %d: %w", scs[p.jobs[k].Scenario].Name, p.jobs[k].Seed, err)
		}
	}
	if internal != nil {
		return internal
	}
	return ctx.Err()
}
