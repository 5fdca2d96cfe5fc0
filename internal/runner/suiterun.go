package runner

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/leasesim/leasesim/result"
	"github.com/leasesim/leasesim/scenarios"
)

// SuiteRun is one suite on its way (leasesim suite): the scenarios with the files they
// came from, how to run them, and the hooks the command watches it through.
type SuiteRun struct {
	Scenarios []*scenarios.Scenario
	Files     []string // Files[i] is where Scenarios[i] came from
	Options   SuiteOptions
	// Seeds is the seed count asked for (0: each scenario's own); with a budget, the most
	// seeds per scenario (0: no maximum).
	Seeds int
	// For is a --for wall-clock budget (0: none), ForText how it was given, and Spent
	// says when it is spent: the seeds then run round-robin (RunRounds).
	For     time.Duration
	ForText string
	Spent   func() bool
	// Twice runs every job a second time (Recheck) and records what differs.
	Twice bool
	// OnStep is called after each run (withFindings: the run had findings) and for each
	// run that panicked; OnFinished with every scenario result so far, in the order the
	// scenarios finished, each time one more finishes.
	OnStep     func(withFindings bool)
	OnFinished func([]result.ScenarioResult)
}

// SuiteOutcome is what a suite ran: each scenario's result and what went wrong.
type SuiteOutcome struct {
	Finished []result.ScenarioResult // in the order the scenarios finished
	Started  time.Time
	Elapsed  map[string]time.Duration // the run time of each scenario's seeds, by name
	Panics   Panics
	Rounds   Rounds // what a --for budget ran
	// Determinism is CheckDeterminism's finding with Twice (nil: every history was the
	// same).
	Determinism error

	jobs []Job     // the jobs that ran
	rec  *Recorder // their histories, with Twice
	opt  SuiteOptions
}

// Panics are the runs that panicked, by scenario index.
type Panics map[int][]*InternalError

// Count is the number of runs that panicked.
func (p Panics) Count() int {
	n := 0
	for _, ps := range p {
		n += len(ps)
	}
	return n
}

// First is the panic of the lowest seed of the first scenario (of n, in order) that had one.
func (p Panics) First(n int) *InternalError {
	for i := 0; i < n; i++ {
		if ps := p[i]; len(ps) > 0 {
			first := ps[0]
			for _, q := range ps {
				if q.Seed < first.Seed {
					first = q
				}
			}
			return first
		}
	}
	return nil
}

// Run runs jobs (or, with a budget, the seeds round-robin until Spent), summarising each
// scenario as its last seed finishes. The error is RunJobs' or RunRounds'.
func (s *SuiteRun) Run(ctx context.Context, jobs []Job) (*SuiteOutcome, error) {
	out := &SuiteOutcome{Started: time.Now(), Elapsed: map[string]time.Duration{}, Panics: Panics{}}
	if s.Twice {
		out.rec = NewRecorder()
	}
	out.opt = s.hooks(out, out.rec)
	var err error
	if s.For > 0 {
		out.Rounds, err = RunRounds(ctx, s.Scenarios, s.Seeds, s.Spent, out.opt)
		s.noteBudget(out)
		jobs = out.Rounds.Jobs
	} else {
		_, err = RunJobs(ctx, s.Scenarios, jobs, out.opt)
	}
	out.jobs = jobs
	return out, err
}

// CheckDeterminism runs the jobs again with Twice (Recheck), unless the run was
// interrupted or ended on an error other than a panic (runErr), and records in
// out.Determinism what differed.
func (s *SuiteRun) CheckDeterminism(ctx context.Context, out *SuiteOutcome, runErr error) {
	if out.rec != nil && ctx.Err() == nil && (runErr == nil || errors.As(runErr, new(*InternalError))) {
		out.Determinism = Recheck(ctx, s.Scenarios, out.jobs, out.opt, out.rec)
	}
}

// hooks are the suite options with the callbacks that fill out.
func (s *SuiteRun) hooks(out *SuiteOutcome, rec *Recorder) SuiteOptions {
	opt := s.Options
	opt.OnRun = func(j Job, r *Run) {
		s.step(len(r.Check.Findings) > 0)
		out.Elapsed[s.Scenarios[j.Scenario].Name] += r.Elapsed
		if rec != nil {
			rec.Record(j, r)
		}
	}
	opt.OnInternalError = func(j Job, ie *InternalError) {
		s.step(false)
		out.Panics[j.Scenario] = append(out.Panics[j.Scenario], ie)
	}
	opt.OnScenario = func(i int, runs []*Run) {
		out.Finished = append(out.Finished, s.summarize(i, runs, out.Panics[i]))
		if s.OnFinished != nil {
			s.OnFinished(out.Finished)
		}
	}
	return opt
}

func (s *SuiteRun) step(withFindings bool) {
	if s.OnStep != nil {
		s.OnStep(withFindings)
	}
}

// summarize is scenario i's result over runs; ps are its seeds that panicked.
func (s *SuiteRun) summarize(i int, runs []*Run, ps []*InternalError) result.ScenarioResult {
	r := Summarize(s.Scenarios[i], s.Files[i], runs)
	if s.For > 0 && r.PlannedSeeds > 0 {
		// A budget's prefix of the seeds is not one shard of a run: what the seeds that
		// ran cannot decide, the scenario's own seeds would (not a merge of shards).
		r.PlannedSeeds = 0
		r.Evaluate(s.Scenarios[i].Expect)
	}
	if len(runs) == 0 && len(ps) == 0 && s.For > 0 {
		r = result.ScenarioResult{Scenario: r.Scenario, Description: r.Description, File: r.File,
			Protocol: r.Protocol, Mutant: r.Mutant, Violations: map[string]int{},
			Error: fmt.Sprintf("no seed ran within --for %s: the budget ran out before this scenario's first seed started; give a longer --for", s.ForText)}
	}
	if len(ps) > 0 {
		markInternal(&r, ps)
	}
	return r
}

// noteBudget records in each finished result which of its seeds the budget ran.
func (s *SuiteRun) noteBudget(out *SuiteOutcome) {
	for i := range out.Finished {
		r := &out.Finished[i]
		k := s.index(r.File)
		if k < 0 || k >= len(out.Rounds.Ran) {
			continue
		}
		ran := out.Rounds.Ran[k]
		b := &result.SeedBudget{ForNs: int64(s.For), For: s.ForText, FirstSeed: ran.From,
			StoppedBy: result.StoppedByBudget, Discarded: out.Rounds.Discarded[k]}
		if ran.Count > 0 {
			last := ran.Last()
			b.LastSeed = &last
		}
		if s.Seeds > 0 && ran.Count == s.Seeds {
			b.StoppedBy = result.StoppedBySeeds
		}
		r.Budget = b
	}
}

// index is the index of the scenario from file (-1: none).
func (s *SuiteRun) index(file string) int {
	for i, f := range s.Files {
		if f == file {
			return i
		}
	}
	return -1
}

// Ordered is the finished results in the order the scenarios were given.
func (s *SuiteRun) Ordered(finished []result.ScenarioResult) []result.ScenarioResult {
	var out []result.ScenarioResult
	for _, f := range s.Files {
		for _, r := range finished {
			if r.File == f {
				out = append(out, r)
			}
		}
	}
	return out
}

// markInternal marks a scenario some of whose seeds panicked: it is not met, whatever
// its other seeds showed, and its error names the seeds and the first panic.
func markInternal(r *result.ScenarioResult, ps []*InternalError) {
	sort.Slice(ps, func(a, b int) bool { return ps[a].Seed < ps[b].Seed })
	var seeds []string
	for _, p := range ps {
		seeds = append(seeds, strconv.FormatUint(p.Seed, 10))
	}
	r.Met = false
	r.FailingSeed = &ps[0].Seed
	word := "seed"
	if len(seeds) > 1 {
		word = "seeds"
	}
	r.Error = fmt.Sprintf("internal error (please report it): %s %s panicked: %s", word, strings.Join(seeds, ", "), ps[0].Value)
}
