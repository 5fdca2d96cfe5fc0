package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/leasesim/leasesim/internal/exit"
	"github.com/leasesim/leasesim/internal/load"
	"github.com/leasesim/leasesim/internal/outdir"
	"github.com/leasesim/leasesim/internal/progress"
	"github.com/leasesim/leasesim/internal/runner"
	"github.com/leasesim/leasesim/internal/suitedir"
	"github.com/leasesim/leasesim/reports"
	"github.com/leasesim/leasesim/result"
)

// parseShard parses "i/n" with 1 <= i <= n.
func parseShard(s string) (int, int, error) {
	if s == "" {
		return 1, 1, nil
	}
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 1 || i > n {
		return 0, 0, exit.Bad("--shard %q: expected i/n with 1 <= i <= n, like 2/8", s)
	}
	return i, n, nil
}

func init() {
	subcommands = append(subcommands, newSuiteCmd)
}

// suiteFlags are suite's flags.
type suiteFlags struct {
	seeds   int
	junit   string
	asJSON  bool
	out     string
	shard   string
	workers int
	timeout time.Duration
	twice   bool
	budget  forFlag
	swarm   bool
}

// register defines the flags on f.
func (fl *suiteFlags) register(f *pflag.FlagSet) {
	f.IntVar(&fl.seeds, "seeds", 0, "run this many seeds of each scenario instead of its own seeds: count")
	f.StringVar(&fl.junit, "junit", "", "write JUnit XML (one testcase per scenario) to this file")
	f.BoolVar(&fl.asJSON, "json", false, "print one JSON object per scenario instead of the table")
	f.StringVar(&fl.out, "out", "results", "write results.jsonl, runs.jsonl, report.html and failure bundles into this directory (\"\" for none)")
	f.StringVar(&fl.shard, "shard", "", "run only shard i of n (i/n) of the scenario × seed jobs; merge shards with leasesim report")
	f.IntVar(&fl.workers, "workers", 0, "runs in parallel (default: the number of CPUs)")
	f.DurationVar(&fl.timeout, "timeout", 0, "wall-clock limit for each porcupine check (0: none)")
	f.Var(&fl.budget, "for", "run seeds until this wall-clock budget is spent (like 30m): seeds in order, round-robin over the scenarios, a started seed finishes; --seeds is then the maximum per scenario")
	f.BoolVar(&fl.swarm, "swarm", false, "swarm faults: every random: schedule draws its own mix of fault kinds and rates per seed, as with swarm: true")
	f.BoolVar(&fl.twice, "check-determinism", false, "run every seed a second time (the jobs in reverse order) and fail (exit 4) with the first differing history record when a history differs")
}

func newSuiteCmd() *cobra.Command {
	var fl suiteFlags
	cmd := &cobra.Command{
		Use:   "suite [PATHS...]",
		Short: "Run scenarios × seeds in parallel and check every expectation",
		Long:  longHelp("suite"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return (&suiteRun{suiteFlags: fl, stderr: cmd.ErrOrStderr()}).main(cmd.OutOrStdout(), args)
		},
	}
	fl.register(cmd.Flags())
	return cmd
}

// suiteRun is one suite command on its way: the scenarios, what ran, and what went
// wrong so far.
type suiteRun struct {
	suiteFlags
	stderr   io.Writer
	ls       []*load.Source
	run      *runner.SuiteRun
	failures string               // the failure bundles' directory, under --out
	done     *runner.SuiteOutcome // what ran
	writeErr error
}

// main runs the suite on the scenarios args name and prints and judges its results.
func (s *suiteRun) main(stdout io.Writer, args []string) error {
	jobs, err := s.load(args)
	if err != nil {
		return err
	}
	release, err := s.prepareOutputs()
	if err != nil {
		return err
	}
	defer release()
	ctx, stop := signalContext()
	defer stop()
	runErr := s.runJobs(ctx, jobs)
	interrupted := ctx.Err() != nil
	stop()
	var ie *runner.InternalError
	if runErr != nil && !errors.Is(runErr, context.Canceled) && !errors.As(runErr, &ie) {
		// A scenario that loaded but could not be built for a seed: the other
		// results would be evaluated over missing seeds, so none is shown.
		fmt.Fprintln(s.stderr, "leasesim:", runErr)
		return exit.With(exit.Worst(exit.BadInput, exit.If(len(s.done.Panics) > 0, exit.Internal), exit.If(interrupted, exit.Interrupted)))
	}
	rs := s.writeOutputs(s.run.Ordered(s.done.Finished))
	if err := s.print(stdout, rs); err != nil {
		return err
	}
	return exit.With(s.exitCode(rs, ie, interrupted))
}

// load checks the flags, loads the scenarios and returns this shard's jobs.
func (s *suiteRun) load(args []string) ([]runner.Job, error) {
	si, sn, err := parseShard(s.shard)
	if err != nil {
		return nil, err
	}
	if s.seeds < 0 {
		return nil, exit.Bad("--seeds %d: expected a count >= 1", s.seeds)
	}
	if s.budget.given() && sn > 1 {
		// Each shard would stop at its own count, leaving holes in the merged seeds.
		return nil, exit.Bad("--for with --shard %s: a budget runs each scenario's seeds in order on one machine; give the shards --seeds instead", s.shard)
	}
	ls, errs := loadPaths(args)
	if len(errs) > 0 {
		for _, e := range errs {
			fmt.Fprintln(s.stderr, "leasesim:", e)
		}
		return nil, exit.With(exit.BadInput)
	}
	if len(ls) == 0 {
		return nil, exit.Bad("no scenario files found in %s", strings.Join(args, ", "))
	}
	s.ls = ls
	s.run = &runner.SuiteRun{Seeds: s.seeds, Twice: s.twice, For: s.budget.d, ForText: s.budget.String(),
		Options: runner.SuiteOptions{Options: runner.Options{PorcupineTimeout: s.timeout}, Workers: s.workers}}
	for _, l := range ls {
		if s.seeds > 0 {
			l.Scenario.SetSeedCount(s.seeds)
		}
		if s.swarm {
			useSwarm(l)
		}
		s.run.Scenarios = append(s.run.Scenarios, l.Scenario)
		s.run.Files = append(s.run.Files, l.File)
	}
	return runner.Shard(runner.Jobs(s.run.Scenarios), si, sn), nil
}

// prepareOutputs creates and checks every output before any run, so that a bad path
// costs nothing and never hides the verdict. Call release when done.
func (s *suiteRun) prepareOutputs() (release func(), err error) {
	release = func() {}
	if s.out != "" {
		d, err := outdir.Prepare("--out", s.out)
		if err != nil {
			return nil, exit.Bad("%v", err)
		}
		release = d.Release
		if s.failures, err = suitedir.Prepare(d, s.out); err != nil {
			d.Release()
			return nil, exit.Bad("--out %v", err)
		}
	}
	if s.junit != "" {
		if err := outdir.CheckFile("--junit", s.junit); err != nil {
			release()
			return nil, exit.Bad("%v", err)
		}
	}
	return release, nil
}

// runJobs runs the jobs with progress on stderr (package runner), rewriting the results
// under --out as scenarios finish; with --check-determinism it then runs them again.
func (s *suiteRun) runJobs(ctx context.Context, jobs []runner.Job) error {
	total := len(jobs)
	if s.budget.given() {
		total = s.seeds * len(s.ls) // 0: no maximum
	}
	prog := progress.New("suite", total, progressQuiet)
	prog.SetBudget(s.budget.d)
	s.run.OnStep = prog.StepRun
	s.run.OnFinished = func(finished []result.ScenarioResult) {
		if s.out != "" && s.writeErr == nil {
			s.writeErr = suitedir.WriteResults(s.out, finished)
		}
	}
	if b := s.budget.start(); b != nil {
		s.run.Spent = b.Spent
	}
	var err error
	s.done, err = s.run.Run(ctx, jobs)
	prog.Finish()
	s.run.CheckDeterminism(ctx, s.done, err)
	return err
}

// writeOutputs writes the failure bundles, the final results and report under --out,
// and the JUnit file; it returns the results with their bundles and reproduce commands.
func (s *suiteRun) writeOutputs(rs []result.ScenarioResult) []result.ScenarioResult {
	var sources []load.Source
	for _, l := range s.ls {
		sources = append(sources, *l)
	}
	rs, err := suitedir.Bundles{Dir: s.failures, Sources: sources, Panics: s.done.Panics, Timeout: s.timeout, Swarm: s.swarm}.Write(rs)
	s.writeErr = errors.Join(s.writeErr, err)
	if s.out != "" {
		s.writeErr = errors.Join(s.writeErr, suitedir.WriteResults(s.out, rs), suitedir.WriteReport(s.out, rs))
	}
	if s.junit == "" {
		return rs
	}
	err = suitedir.WriteJUnit(s.junit, reports.JUnitSuite{Name: "leasesim suite",
		Started: s.done.Started, Elapsed: time.Since(s.done.Started), Results: rs, CaseTime: s.done.Elapsed})
	if err != nil {
		s.writeErr = errors.Join(s.writeErr, fmt.Errorf("--junit %s: %w", s.junit, err))
	}
	return rs
}

// print prints the results: one JSON object per scenario, or the table.
func (s *suiteRun) print(w io.Writer, rs []result.ScenarioResult) error {
	if s.asJSON {
		return result.WriteJSONLines(w, rs)
	}
	return reports.WriteSuiteTable(w, rs)
}

// exitCode says on stderr what went wrong besides the verdicts and returns the exit
// code; ie is an internal error of leasesim's own code while it recorded a run.
func (s *suiteRun) exitCode(rs []result.ScenarioResult, ie *runner.InternalError, interrupted bool) int {
	code := exit.ForSuite(rs)
	if s.writeErr != nil {
		fmt.Fprintln(s.stderr, "leasesim: writing results:", s.writeErr)
		code = exit.Worst(code, exit.BadInput)
	}
	code = exit.Worst(code, s.internalCode(rs, ie))
	if n := noSeedRan(rs); n > 0 {
		fmt.Fprintf(s.stderr, "leasesim: %s ran no seed within --for %s: give a longer --for\n", reports.Count(n, "scenario"), s.budget.String())
	}
	if interrupted {
		fmt.Fprintf(s.stderr, "leasesim: interrupted: no new run was started; %d of %s finished, their results are in %s\n", len(rs), reports.Count(len(s.ls), "scenario"), orDash(s.out))
		return exit.Interrupted
	}
	if _, shards, _ := parseShard(s.shard); shards > 1 {
		code = shardExitCode(s.stderr, rs, code)
	}
	if code == exit.Undecided {
		seeds, checks := result.UndecidedWhy(rs)
		if checks {
			fmt.Fprintln(s.stderr, "leasesim: nothing failed, but some checks could not decide within --timeout; rerun with a longer --timeout (0: none)")
		}
		if seeds {
			fmt.Fprintln(s.stderr, "leasesim: nothing failed, but the seeds that ran cannot decide some expectations; each says how many seeds would (exit 3)")
		}
	}
	return code
}

// internalCode says on stderr what was leasesim's own fault — runs that panicked, a
// panic while recording, a seed that ran differently twice, a hole in what --for ran —
// and returns exit.Internal when something was, else exit.OK.
func (s *suiteRun) internalCode(rs []result.ScenarioResult, ie *runner.InternalError) int {
	code := exit.OK
	if n := s.done.Panics.Count(); n > 0 {
		fmt.Fprintf(s.stderr, "leasesim: internal error: %s panicked, the first: %v\nleasesim: please report it with the failure bundle; the other runs went on\n", reports.Count(n, "run"), s.done.Panics.First(len(s.ls)))
		code = exit.Internal
	} else if ie != nil {
		// leasesim's own code panicked while it recorded a run.
		fmt.Fprintf(s.stderr, "leasesim: %v (please report it)\n%s", ie, ie.Stack)
		code = exit.Internal
	}
	if s.done.Determinism != nil && !errors.Is(s.done.Determinism, context.Canceled) {
		s.reportNondeterminism()
		code = exit.Internal
	}
	for _, r := range rs {
		if r.Budget != nil && r.Budget.Discarded > 0 {
			// RunRounds never leaves a hole; one would be a bug in leasesim.
			fmt.Fprintf(s.stderr, "leasesim: internal error (please report it): %s\n", reports.BudgetText(r))
			code = exit.Internal
		}
	}
	return code
}

// shardExitCode is the exit code of one shard (--shard i/n, n > 1) whose verdicts give
// code: a scenario undecided only because the shard holds some of its seeds is left to
// the merged verdict (leasesim report) and does not make the shard exit 3.
func shardExitCode(stderr io.Writer, rs []result.ScenarioResult, code int) int {
	if code != exit.Undecided {
		return code
	}
	var rest []result.ScenarioResult
	left := 0
	for _, r := range rs {
		if result.UndecidedForSeeds(r) {
			left++
			continue
		}
		rest = append(rest, r)
	}
	if left > 0 {
		fmt.Fprintf(stderr, "leasesim: this shard holds only some of the seeds: %s left to the merged verdict (leasesim report on every shard's --out exits with it)\n", reports.Count(left, "scenario"))
	}
	return exit.ForSuite(rest)
}

// reportNondeterminism says what --check-determinism found and how to reproduce it.
func (s *suiteRun) reportNondeterminism() {
	fmt.Fprintf(s.stderr, "leasesim: --check-determinism: %v\n", s.done.Determinism)
	var nd *runner.NondeterminismError
	if errors.As(s.done.Determinism, &nd) {
		for _, l := range s.ls {
			if l.Scenario.Name == nd.Scenario {
				fmt.Fprintf(s.stderr, "reproduce: leasesim run %s --seed %d --check-determinism\n", l.File, nd.Seed)
				break
			}
		}
	}
}

func orDash(s string) string {
	if s == "" {
		return "(no --out directory)"
	}
	return s
}

// noSeedRan counts the scenarios that --for ran no seed of.
func noSeedRan(rs []result.ScenarioResult) int {
	n := 0
	for _, r := range rs {
		if r.RanNoSeed() {
			n++
		}
	}
	return n
}
