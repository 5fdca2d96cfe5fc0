package runner

import (
	"context"

	"github.com/leasesim/leasesim/scenarios"
)

// SeedRange is the seeds of one scenario that ran: Count seeds from From, in order.
type SeedRange struct {
	From  uint64
	Count int
}

// Last is the last seed of the range (From-1 when it is empty).
func (r SeedRange) Last() uint64 { return r.From + uint64(r.Count) - 1 }

// Rounds is what RunRounds ran.
type Rounds struct {
	// Jobs are the jobs that ran, in the order they started.
	Jobs []Job
	// Ran is, per scenario, the seeds that ran: a prefix of its seeds from its first.
	Ran []SeedRange
	// Discarded is, per scenario, how many runs were left out of Ran (and of
	// OnScenario's runs) because a seed before them did not run. RunRounds hands seeds
	// out one at a time in order and finishes each one it started, so this is always
	// zero; it is checked all the same, so that a change to the pool cannot turn holes
	// into results silently.
	Discarded []int
	// Spent reports that stop ended the run before every scenario had max seeds: the
	// budget ran out (a normal end, unlike a cancelled ctx).
	Spent bool
}

// RunRounds runs the seeds of scs round-robin until stop reports true, at most max
// seeds of each (0: no maximum): seed From of every scenario, then From+1 of every
// scenario, and so on. stop is called once before each seed would start, with the pool's
// lock held, so the seeds started are a prefix of that order however many workers there
// are; a seed that started finishes, no later one starts, and once stop has said true it
// is not called again. Each scenario therefore ran a prefix of its seeds — Count seeds
// from From — and within one seed of every other scenario's count: every scenario gets
// the same share of seeds, the unit a verdict's confidence is counted in. The results
// for those seeds equal those of RunJobs over the same seeds (compare a suite run with
// --seeds Count).
//
// OnScenario is called for each scenario once it can get no more seeds and its seeds in
// flight have finished — at the latest when stop says true — with its runs in seed
// order, possibly none. A cancelled ctx stops the run too, without OnScenario for the
// scenarios cut short, and RunRounds returns ctx's error. Errors are RunJobs's.
func RunRounds(ctx context.Context, scs []*scenarios.Scenario, max int, stop func() bool, opt SuiteOptions) (Rounds, error) {
	n := len(scs)
	rd := Rounds{Ran: make([]SeedRange, n), Discarded: make([]int, n)}
	for i, sc := range scs {
		rd.Ran[i].From = sc.Seeds.From
	}
	k := 0 // the next job of the order: round k/n of scenario k%n
	dispatched := make([]int, n)
	stopped := false
	src := source{
		next: func() (Job, bool) {
			if n == 0 || stopped || (max > 0 && k/n >= max) {
				return Job{}, false
			}
			if stop() {
				stopped, rd.Spent = true, true
				return Job{}, false
			}
			i := k % n
			j := Job{Scenario: i, Seed: scs[i].Seeds.From + uint64(k/n)}
			k++
			dispatched[i]++
			return j, true
		},
		done: func(i int) bool { return stopped || (max > 0 && dispatched[i] >= max) },
	}
	// finished records the seeds whose run ended (a run or a panic), per scenario,
	// independently of the order above: the prefix is checked on what finished.
	finished := make([][]uint64, n)
	onRun, onInternal, onScenario := opt.OnRun, opt.OnInternalError, opt.OnScenario
	opt.OnRun = func(j Job, r *Run) {
		finished[j.Scenario] = append(finished[j.Scenario], j.Seed)
		if onRun != nil {
			onRun(j, r)
		}
	}
	opt.OnInternalError = func(j Job, ie *InternalError) {
		finished[j.Scenario] = append(finished[j.Scenario], j.Seed)
		if onInternal != nil {
			onInternal(j, ie)
		}
	}
	opt.OnScenario = func(i int, runs []*Run) {
		runs = rd.prefix(i, finished[i], runs)
		if onScenario != nil {
			onScenario(i, runs)
		}
	}
	p := runPool(ctx, scs, src, opt)
	rd.Jobs = p.jobs
	return rd, p.err(ctx, scs)
}

// prefix records in rd.Ran[i] the seeds of scenario i that ran without a gap from its
// first — finished lists those that ran (a seed that panicked ran: its internal error
// stands for its run) — and returns runs (in seed order) without the ones after the
// first gap, counted in rd.Discarded[i].
func (rd *Rounds) prefix(i int, finished []uint64, runs []*Run) []*Run {
	ran := map[uint64]bool{}
	for _, s := range finished {
		ran[s] = true
	}
	from := rd.Ran[i].From
	c := 0
	for ran[from+uint64(c)] {
		c++
	}
	rd.Ran[i].Count = c
	rd.Discarded[i] = len(ran) - c
	kept := runs[:0:0]
	for _, r := range runs {
		if r.Result.Seed-from < uint64(c) && r.Result.Seed >= from {
			kept = append(kept, r)
		}
	}
	return kept
}
