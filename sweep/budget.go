package sweep

import (
	"context"
	"errors"
	"runtime"

	"github.com/leasesim/leasesim/internal/runner"
	"github.com/leasesim/leasesim/scenarios"
)

// runBudget runs the points of the plan (those of the shard) seed by seed until
// opt.Stop says to stop or every point has run opt.MaxSeeds seeds (0: no maximum). A
// round runs the next seeds of every point, in point order; Stop is asked before each
// round, never during one, and a round that started finishes, so every point ran the
// same seeds — a prefix of its seed range, from the scenario's first seed — and its
// figures are those a sweep with --seeds N gives for the N seeds that ran. A round holds
// one seed, or as many as keep the workers busy when the points are fewer than them.
//
// Every point is computed (none is reused from the store: the seeds that will run are
// not known before) and appended to the store at the end, its digest naming the seeds
// that ran. An interrupted sweep (ctx cancelled) appends nothing.
func runBudget(ctx context.Context, p *Plan, store *Store, opt Options) (*Result, error) {
	res := &Result{}
	for k, pt := range p.Points {
		if opt.Shards > 1 && k%opt.Shards != opt.Shard-1 {
			continue
		}
		res.Points = append(res.Points, pt)
	}
	pts := res.Points
	from := p.Base.Seeds.From
	res.Ran = scenarios.Seeds{From: from}
	if len(pts) == 0 {
		return res, nil
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	perRound := max(1, (workers+len(pts)-1)/len(pts))
	if opt.OnStart != nil {
		opt.OnStart(opt.MaxSeeds * len(pts)) // 0: no maximum
	}
	acc := make([]pointRuns, len(pts))
	n := 0
	for opt.MaxSeeds <= 0 || n < opt.MaxSeeds {
		if opt.Stop() {
			res.Spent = true
			break
		}
		count := perRound
		if opt.MaxSeeds > 0 {
			count = min(count, opt.MaxSeeds-n)
		}
		variants := make([]*scenarios.Scenario, len(pts))
		for i, pt := range pts {
			v := *pt.Scenario
			v.Seeds = scenarios.Seeds{From: from + uint64(n), Count: count}
			variants[i] = &v
		}
		var jobs []runner.Job
		for s := 0; s < count; s++ {
			for i := range pts {
				jobs = append(jobs, runner.Job{Scenario: i, Seed: from + uint64(n+s)})
			}
		}
		runs, err := runner.RunJobs(ctx, variants, jobs, runner.SuiteOptions{Workers: opt.Workers,
			OnRun: func(runner.Job, *runner.Run) {
				if opt.OnRun != nil {
					opt.OnRun()
				}
			}})
		if errors.Is(err, context.Canceled) {
			res.Interrupted = true
			return res, nil
		} else if err != nil {
			return nil, err
		}
		// runs is in job order: seed by seed, each point in order.
		for i := range pts {
			for s := 0; s < count; s++ {
				acc[i].add([]*runner.Run{runs[s*len(pts)+i]})
			}
		}
		n += count
	}
	res.Ran.Count = n
	if n == 0 {
		return res, nil
	}
	for i, pt := range pts {
		sc := *pt.Scenario
		sc.Seeds = res.Ran
		pt.Scenario = &sc
		rec := acc[i].record(pt, opt.Version)
		if err := store.Append(rec); err != nil {
			return nil, err
		}
		res.Records = append(res.Records, rec)
		res.Computed++
		if opt.OnPoint != nil {
			opt.OnPoint(rec)
		}
	}
	return res, nil
}
