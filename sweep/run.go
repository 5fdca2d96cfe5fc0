package sweep

import (
	"context"
	"errors"
	"time"

	"github.com/leasesim/leasesim/internal/runner"
	"github.com/leasesim/leasesim/result"
	"github.com/leasesim/leasesim/scenarios"
)

// Options tune a sweep run.
type Options struct {
	// Workers is the number of runs in parallel; 0 means GOMAXPROCS.
	Workers int
	// Shard and Shards (1-based, i of n) keep every n-th point; Shards <= 1 keeps all.
	Shard, Shards int
	// Version is the leasesim version recorded with each point (BuildVersion).
	Version string
	// OnStart is called with the number of runs to do, before the first starts.
	OnStart func(runs int)
	// OnRun is called after each seed's run (for progress).
	OnRun func()
	// OnPoint is called after a point is on disk.
	OnPoint func(Record)
	// Stop, when set, makes the sweep run seeds until it says so (sweep --for): it is
	// called before each round of seeds, and MaxSeeds (0: none) bounds the seeds per
	// point instead of the plan's count (runBudget).
	Stop     func() bool
	MaxSeeds int
}

// Result is what a sweep run gives: its points (those of its shard) in index order,
// how many ran or were found on disk, and whether it was interrupted.
type Result struct {
	Records  []Record
	Points   []Point
	Computed int
	Reused   int
	// Interrupted is set when ctx was cancelled: the points finished so far are on disk
	// and Records holds only those.
	Interrupted bool
	// Under Options.Stop: every point ran the seeds of Ran, and Spent says that Stop
	// ended the sweep (rather than MaxSeeds).
	Ran   scenarios.Seeds
	Spent bool
}

// Run computes the plan's points that store does not hold yet, appending each to the
// store as it finishes. It stops starting runs when ctx is cancelled.
func Run(ctx context.Context, p *Plan, store *Store, opt Options) (*Result, error) {
	if opt.Stop != nil {
		return runBudget(ctx, p, store, opt)
	}
	seeds := p.Base.Seeds.Count
	res, done, todo := split(p, store, opt)
	variants := make([]*scenarios.Scenario, len(todo))
	for i, pt := range todo {
		variants[i] = pt.Scenario
	}
	if opt.OnStart != nil {
		opt.OnStart(len(todo) * seeds)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var appendErr error
	_, err := runner.RunJobs(ctx, variants, runner.Jobs(variants), runner.SuiteOptions{
		Workers: opt.Workers,
		OnRun: func(runner.Job, *runner.Run) {
			if opt.OnRun != nil {
				opt.OnRun()
			}
		},
		OnScenario: func(i int, runs []*runner.Run) {
			if appendErr != nil || len(runs) != seeds {
				return
			}
			rec := record(todo[i], runs, opt.Version)
			if appendErr = store.Append(rec); appendErr != nil {
				cancel()
				return
			}
			done[todo[i].Index] = rec
			res.Computed++
			if opt.OnPoint != nil {
				opt.OnPoint(rec)
			}
		},
	})
	if appendErr != nil {
		return nil, appendErr
	}
	if errors.Is(err, context.Canceled) {
		res.Interrupted = true
	} else if err != nil {
		return nil, err
	}
	for _, pt := range res.Points {
		if r, ok := done[pt.Index]; ok {
			res.Records = append(res.Records, r)
		}
	}
	return res, nil
}

// split selects the points of the shard and looks each up in the store: the result
// with its points and the number reused, the records found, and the points to run.
func split(p *Plan, store *Store, opt Options) (*Result, map[int]Record, []Point) {
	res := &Result{}
	done := map[int]Record{}
	var todo []Point
	for k, pt := range p.Points {
		if opt.Shards > 1 && k%opt.Shards != opt.Shard-1 {
			continue
		}
		res.Points = append(res.Points, pt)
		if r, ok := store.Lookup(pt.Key, pointDigest(pt, opt.Version), p.Base.Seeds.Count); ok {
			done[pt.Index] = r
			res.Reused++
			continue
		}
		todo = append(todo, pt)
	}
	return res, done, todo
}

// record aggregates one point's runs (in seed order) and notes its worst seed:
// violations first, then the longest gap; the first such seed on a tie.
func record(pt Point, runs []*runner.Run, version string) Record {
	var acc pointRuns
	acc.add(runs)
	return acc.record(pt, version)
}

// pointRuns accumulates what a point's seeds showed, in seed order, and its worst seed.
type pointRuns struct {
	samples    []result.SeedSample
	worstScore int64
	worstSeed  uint64
}

// add takes more of the point's runs, in seed order after those it holds.
func (a *pointRuns) add(runs []*runner.Run) {
	if a.samples == nil {
		a.worstScore = -1
	}
	for _, r := range runs {
		m := r.Check.Metrics
		s := result.SeedSample{Unknown: r.Check.Verdict == "unknown", Unavailable: m.UnavailableFraction,
			MaxGap: m.MaxGapNs, LeaderChanges: m.LeaderChanges, IssuerMsgsPS: m.IssuerMsgsPerSec}
		seen := map[string]bool{}
		for _, f := range r.Check.Findings {
			if !seen[string(f.Kind)] {
				seen[string(f.Kind)] = true
				s.Violated = append(s.Violated, string(f.Kind))
			}
		}
		a.samples = append(a.samples, s)
		if score := m.MaxGapNs + int64(len(r.Check.Findings))*int64(time.Hour); score > a.worstScore {
			a.worstScore, a.worstSeed = score, r.Result.Seed
		}
	}
}

// record is the point's record over the seeds it holds.
func (a *pointRuns) record(pt Point, version string) Record {
	rec := Record{Digest: pointDigest(pt, version), WorstScore: -1}
	if len(a.samples) > 0 {
		rec.WorstScore, rec.WorstSeed = a.worstScore, a.worstSeed
	}
	rec.SweepPoint = result.NewSweepPoint(pt.Scenario.Name, pt.Set, a.samples)
	return rec
}

// Worst returns the point and seed of the worst run among the records (the highest
// worst score; the first point in index order on a tie), or false when there is none.
func (r *Result) Worst() (Point, uint64, bool) {
	best, found := int64(-1), false
	var pt Point
	var seed uint64
	byKey := map[string]Point{}
	for _, p := range r.Points {
		byKey[p.Key] = p
	}
	for _, rec := range r.Records {
		if rec.WorstScore > best {
			best, found, pt, seed = rec.WorstScore, true, byKey[rec.Key], rec.WorstSeed
		}
	}
	return pt, seed, found
}

// SweepPoints returns the records' figures in the order of the swept values.
func (r *Result) SweepPoints(swept []string) []result.SweepPoint {
	out := make([]result.SweepPoint, len(r.Records))
	for i, rec := range r.Records {
		out[i] = rec.SweepPoint
	}
	result.SortPoints(swept, out)
	return out
}
