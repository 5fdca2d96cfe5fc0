package suiterun

import (
	"context"
	"io"
	"time"

	"github.com/leasesim/leasesim/internal/budget"
	"github.com/leasesim/leasesim/internal/load"
	"github.com/leasesim/leasesim/internal/progress"
	"github.com/leasesim/leasesim/internal/runner"
	"github.com/leasesim/leasesim/result"
)

// Config is what the command asks for: its flags, checked.
type Config struct {
	Seeds         int // seeds per scenario (0: each scenario's own); with For, the most (0: no maximum)
	Shard, Shards int // run shard Shard of Shards (1 of 1: every job)
	Workers       int
	Timeout       time.Duration // each porcupine check's limit (0: none)
	Twice         bool          // --check-determinism
	Swarm         bool
	// For is a wall-clock budget (0: none), read on Clock.
	For   time.Duration
	Clock budget.Clock
	// Out is the results directory ("" for none), JUnit the JUnit file ("" for none).
	Out, JUnit string
	Quiet      bool      // no progress on stderr
	Stderr     io.Writer // progress and what went wrong besides the verdicts
}

// Suite is one suite on its way: the scenarios, what ran, and what went wrong so far.
type Suite struct {
	cfg      Config
	sources  []*load.Source
	run      *runner.SuiteRun
	jobs     []runner.Job
	failures string               // the failure bundles' directory, under Out
	done     *runner.SuiteOutcome // what ran
	writeErr error
}

// New prepares the suite of the loaded scenarios, each set to Seeds seeds and swarm
// faults as configured, and this shard's jobs.
func New(cfg Config, sources []*load.Source) *Suite {
	s := &Suite{cfg: cfg, sources: sources}
	s.run = &runner.SuiteRun{Seeds: cfg.Seeds, Twice: cfg.Twice, For: cfg.For, ForText: s.forText(),
		Options: runner.SuiteOptions{Options: runner.Options{PorcupineTimeout: cfg.Timeout}, Workers: cfg.Workers}}
	for _, l := range sources {
		if cfg.Seeds > 0 {
			l.Scenario.SetSeedCount(cfg.Seeds)
		}
		if cfg.Swarm {
			l.UseSwarm()
		}
		s.run.Scenarios = append(s.run.Scenarios, l.Scenario)
		s.run.Files = append(s.run.Files, l.File)
	}
	s.jobs = runner.Shard(runner.Jobs(s.run.Scenarios), cfg.Shard, cfg.Shards)
	return s
}

// forText is the budget as given ("" without one).
func (s *Suite) forText() string {
	if s.cfg.For == 0 {
		return ""
	}
	return result.FormatDuration(s.cfg.For)
}

// Run runs the jobs with progress on stderr (package runner), rewriting the results
// under Out as scenarios finish; with Twice it then runs them again. The error is the
// suite's (runner.SuiteRun.Run): a scenario that could not be built, a panic while
// recording, or the context's.
func (s *Suite) Run(ctx context.Context) error {
	total := len(s.jobs)
	if s.cfg.For > 0 {
		total = s.cfg.Seeds * len(s.sources) // 0: no maximum
	}
	prog := progress.New("suite", total, s.cfg.Quiet)
	prog.SetBudget(s.cfg.For)
	s.run.OnStep = prog.StepRun
	s.run.OnFinished = func(finished []result.ScenarioResult) {
		if s.cfg.Out != "" && s.writeErr == nil {
			s.writeErr = s.writeResults(finished)
		}
	}
	if s.cfg.For > 0 {
		s.run.Spent = budget.Start(s.cfg.For, s.cfg.Clock).Spent
	}
	var err error
	s.done, err = s.run.Run(ctx, s.jobs)
	prog.Finish()
	s.run.CheckDeterminism(ctx, s.done, err)
	return err
}

// Panicked reports whether a run panicked.
func (s *Suite) Panicked() bool { return len(s.done.Panics) > 0 }

// Results writes the failure bundles, the final results and report under Out and the
// JUnit file, and returns the scenarios' results in order with their bundles and
// reproduce commands.
func (s *Suite) Results() []result.ScenarioResult {
	return s.writeOutputs(s.run.Ordered(s.done.Finished))
}
