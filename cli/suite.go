package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/leasesim/leasesim/internal/outdir"
	"github.com/leasesim/leasesim/internal/runner"
	"github.com/leasesim/leasesim/reports"
	"github.com/leasesim/leasesim/result"
	"github.com/leasesim/leasesim/scenarios"
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
		return 0, 0, badInput("--shard %q: expected i/n with 1 <= i <= n, like 2/8", s)
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
	f.BoolVar(&fl.swarm, "swarm", false, "swarm faults: every random: schedule draws its own mix of fault kinds and rates per seed, as with swarm: true")
	f.BoolVar(&fl.twice, "check-determinism", false, "run every seed a second time (the jobs in reverse order) and fail (exit 4) with the first differing history record when a history differs")
}

func newSuiteCmd() *cobra.Command {
	var fl suiteFlags
	cmd := &cobra.Command{
		Use:   "suite [PATHS...]",
		Short: "Run scenarios × seeds in parallel and check every expectation",
		Long: `suite runs every seed of every scenario (files or directories; the built-in catalog
when none is given) across all cores, checks each scenario's expect: block over its
seeds, and prints a table. Results do not depend on the parallelism.

Exit 0 when every expectation is met; 1 when one is not (each failure names a seed and
the command that reproduces it); 2 for bad input (an unwritable --out or --junit is
found before any run); 3 when a check could not decide and nothing failed; 4 when a run
panicked (an internal error: the rest of the suite still runs, and the failure bundle
replays the panicking seed) or, with --check-determinism, when a seed run a second time
(the jobs again in reverse order, so on other workers after other runs) recorded a
different history; 130 when interrupted. The first of 130, 4, 2, 1, 3 wins.

--out DIR keeps results.jsonl (one object per scenario), runs.jsonl (one per seed),
report.html and failures/ (a bundle per failing scenario, emptied at the start so that
it holds this run's bundles only). Results are rewritten atomically as scenarios
finish: Ctrl-C or SIGTERM starts no new run and keeps what finished. Two leasesim
processes cannot write one directory at the same time.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			s := &suiteRun{suiteFlags: fl, stderr: cmd.ErrOrStderr()}
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
			runErr := s.run(ctx, jobs)
			interrupted := ctx.Err() != nil
			stop()
			var ie *runner.InternalError
			if runErr != nil && !errors.Is(runErr, context.Canceled) && !errors.As(runErr, &ie) {
				// A scenario that loaded but could not be built for a seed: the other
				// results would be evaluated over missing seeds, so none is shown.
				fmt.Fprintln(s.stderr, "leasesim:", runErr)
				return withCode(worstExit(exitBadInput, codeIf(len(s.panics) > 0, exitInternal), codeIf(interrupted, exitInterrupted)))
			}
			rs := s.writeBundles(orderLike(s.finished, s.ls))
			s.writeOutputs(rs)
			if err := s.print(cmd.OutOrStdout(), rs); err != nil {
				return err
			}
			return withCode(s.exitCode(rs, ie, interrupted))
		},
	}
	fl.register(cmd.Flags())
	return cmd
}

// suiteRun is one suite command on its way: the scenarios, what has finished, and what
// went wrong so far.
type suiteRun struct {
	suiteFlags
	stderr   io.Writer
	ls       []*loaded
	scs      []*scenarios.Scenario
	failures string // the failure bundles' directory, under --out
	start    time.Time
	elapsed  map[string]time.Duration
	panics   map[int][]*runner.InternalError
	finished []result.ScenarioResult
	writeErr error
	detErr   error // --check-determinism's finding
}

// load checks the flags, loads the scenarios and returns this shard's jobs.
func (s *suiteRun) load(args []string) ([]runner.Job, error) {
	si, sn, err := parseShard(s.shard)
	if err != nil {
		return nil, err
	}
	if s.seeds < 0 {
		return nil, badInput("--seeds %d: expected a count >= 1", s.seeds)
	}
	ls, errs := loadPaths(args)
	if len(errs) > 0 {
		for _, e := range errs {
			fmt.Fprintln(s.stderr, "leasesim:", e)
		}
		return nil, withCode(exitBadInput)
	}
	if len(ls) == 0 {
		return nil, badInput("no scenario files found in %s", strings.Join(args, ", "))
	}
	s.ls = ls
	s.scs = make([]*scenarios.Scenario, len(ls))
	for i, l := range ls {
		s.scs[i] = l.sc
		if s.seeds > 0 {
			l.sc.SetSeedCount(s.seeds)
		}
		if s.swarm {
			useSwarm(l)
			s.scs[i] = l.sc
		}
	}
	return runner.Shard(runner.Jobs(s.scs), si, sn), nil
}

// prepareOutputs creates and checks every output before any run, so that a bad path
// costs nothing and never hides the verdict. Call release when done.
func (s *suiteRun) prepareOutputs() (release func(), err error) {
	release = func() {}
	if s.out != "" {
		d, err := outdir.Prepare("--out", s.out)
		if err != nil {
			return nil, badInput("%v", err)
		}
		release = d.Release
		if s.failures, err = d.Fresh("failures"); err != nil {
			d.Release()
			return nil, badInput("--out %v", err)
		}
		// An older run's results must not pass for this one's if this one is
		// interrupted before its first scenario finishes.
		if err := writeSuiteResults(s.out, nil); err != nil {
			d.Release()
			return nil, badInput("--out %s: %v", s.out, err)
		}
		os.Remove(filepath.Join(s.out, "report.html"))
	}
	if s.junit != "" {
		if err := outdir.CheckFile("--junit", s.junit); err != nil {
			release()
			return nil, badInput("%v", err)
		}
	}
	return release, nil
}

// run runs the jobs, summarising each scenario as its last seed finishes and rewriting
// the results under --out; with --check-determinism it then runs them again (detErr).
func (s *suiteRun) run(ctx context.Context, jobs []runner.Job) error {
	prog := newProgress("suite", len(jobs))
	s.start = time.Now()
	s.elapsed = map[string]time.Duration{}
	s.panics = map[int][]*runner.InternalError{}
	var rec *runner.Recorder
	if s.twice {
		rec = runner.NewRecorder()
	}
	opt := runner.SuiteOptions{
		Options: runner.Options{PorcupineTimeout: s.timeout},
		Workers: s.workers,
		OnRun: func(j runner.Job, r *runner.Run) {
			prog.stepRun(r)
			s.elapsed[s.scs[j.Scenario].Name] += r.Elapsed
			if rec != nil {
				rec.Record(j, r)
			}
		},
		OnInternalError: func(j runner.Job, ie *runner.InternalError) {
			prog.stepRun(nil)
			s.panics[j.Scenario] = append(s.panics[j.Scenario], ie)
		},
		OnScenario: func(i int, runs []*runner.Run) {
			r := runner.Summarize(s.scs[i], s.ls[i].file, runs)
			if ps := s.panics[i]; len(ps) > 0 {
				markInternal(&r, ps)
			}
			s.finished = append(s.finished, r)
			if s.out != "" && s.writeErr == nil {
				s.writeErr = writeSuiteResults(s.out, s.finished)
			}
		},
	}
	_, err := runner.RunJobs(ctx, s.scs, jobs, opt)
	prog.finish()
	if rec != nil && ctx.Err() == nil && (err == nil || errors.As(err, new(*runner.InternalError))) {
		s.detErr = runner.Recheck(ctx, s.scs, jobs, opt, rec)
	}
	return err
}

// writeBundles sets each result's reproduce command and, under --out, writes a failure
// bundle for each scenario that failed on a seed or panicked.
func (s *suiteRun) writeBundles(rs []result.ScenarioResult) []result.ScenarioResult {
	for i := range rs {
		r := &rs[i]
		r.Reproduce = reproduceCommand(r, s.out)
		if s.swarm && r.Reproduce != "" {
			r.Reproduce += " --swarm"
		}
		if s.out == "" || r.Met {
			continue
		}
		l := findLoaded(s.ls, r.File)
		ps := s.panics[indexOf(s.ls, l)]
		var seed uint64
		var unmet []result.Expectation
		switch {
		case len(ps) > 0:
			seed = ps[0].Seed
		case r.FailingSeed != nil:
			seed = *r.FailingSeed
			for _, e := range r.Expectations {
				if !e.Met {
					unmet = append(unmet, e)
				}
			}
		default:
			continue
		}
		dir, err := writeBundle(s.failures, l, seed, s.timeout, unmet)
		if err != nil {
			s.writeErr = errors.Join(s.writeErr, fmt.Errorf("failure bundle of %s: %w", r.Scenario, err))
			continue
		}
		r.Bundle = dir
		r.Reproduce = "leasesim replay " + dir
		if len(ps) > 0 {
			r.Error += "; replay: " + r.Reproduce
		}
	}
	return rs
}

// writeOutputs writes the final results and report under --out, and the JUnit file.
func (s *suiteRun) writeOutputs(rs []result.ScenarioResult) {
	if s.out != "" {
		s.writeErr = errors.Join(s.writeErr, writeSuiteResults(s.out, rs), writeSuiteReport(s.out, rs))
	}
	if s.junit == "" {
		return
	}
	var b bytes.Buffer
	err := reports.WriteJUnit(&b, reports.JUnitSuite{Name: "leasesim suite",
		Started: s.start, Elapsed: time.Since(s.start), Results: rs, CaseTime: s.elapsed})
	if err == nil {
		err = writeFileAtomic(s.junit, b.Bytes())
	}
	if err != nil {
		s.writeErr = errors.Join(s.writeErr, fmt.Errorf("--junit %s: %w", s.junit, err))
	}
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
	code := suiteExitCode(rs)
	if s.writeErr != nil {
		fmt.Fprintln(s.stderr, "leasesim: writing results:", s.writeErr)
		code = worstExit(code, exitBadInput)
	}
	if n := countPanics(s.panics); n > 0 {
		fmt.Fprintf(s.stderr, "leasesim: internal error: %s panicked, the first: %v\nleasesim: please report it with the failure bundle; the other runs went on\n", reports.Count(n, "run"), firstPanic(s.panics, len(s.ls)))
		code = worstExit(code, exitInternal)
	} else if ie != nil {
		// leasesim's own code panicked while it recorded a run.
		fmt.Fprintf(s.stderr, "leasesim: %v (please report it)\n%s", ie, ie.Stack)
		code = worstExit(code, exitInternal)
	}
	if s.detErr != nil && !errors.Is(s.detErr, context.Canceled) {
		s.reportNondeterminism()
		code = worstExit(code, exitInternal)
	}
	if interrupted {
		fmt.Fprintf(s.stderr, "leasesim: interrupted: no new run was started; %d of %s finished, their results are in %s\n", len(rs), reports.Count(len(s.ls), "scenario"), orDash(s.out))
		return exitInterrupted
	}
	if code == exitUndecided {
		fmt.Fprintln(s.stderr, "leasesim: nothing failed, but some checks could not decide within --timeout; rerun with a longer --timeout (0: none)")
	}
	return code
}

// reportNondeterminism says what --check-determinism found and how to reproduce it.
func (s *suiteRun) reportNondeterminism() {
	fmt.Fprintf(s.stderr, "leasesim: --check-determinism: %v\n", s.detErr)
	var nd *runner.NondeterminismError
	if errors.As(s.detErr, &nd) {
		for _, l := range s.ls {
			if l.sc.Name == nd.Scenario {
				fmt.Fprintf(s.stderr, "reproduce: leasesim run %s --seed %d --check-determinism\n", l.file, nd.Seed)
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

// suiteExitCode: 1 if an expectation failed or a scenario could not run, else 3 if a
// check could not decide (a scenario whose only unmet expectations are left open by
// undecided seeds counts as undecided, not failed), else 0.
func suiteExitCode(rs []result.ScenarioResult) int {
	code := exitOK
	for _, r := range rs {
		switch {
		case result.Undecided(r):
			code = worstExit(code, exitUndecided)
		case r.Error != "" || !r.Met:
			code = worstExit(code, exitViolated)
		case r.Unknown > 0:
			code = worstExit(code, exitUndecided)
		}
	}
	return code
}

// codeIf returns code when cond holds, else exitOK.
func codeIf(cond bool, code int) int {
	if cond {
		return code
	}
	return exitOK
}

// markInternal marks a scenario some of whose seeds panicked: it is not met, whatever
// its other seeds showed, and its error names the seeds and the first panic.
func markInternal(r *result.ScenarioResult, ps []*runner.InternalError) {
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

func countPanics(panics map[int][]*runner.InternalError) int {
	n := 0
	for _, ps := range panics {
		n += len(ps)
	}
	return n
}

// firstPanic is the panic of the lowest seed of the first scenario (in the given order)
// that had one.
func firstPanic(panics map[int][]*runner.InternalError, n int) *runner.InternalError {
	for i := 0; i < n; i++ {
		if ps := panics[i]; len(ps) > 0 {
			first := ps[0]
			for _, p := range ps {
				if p.Seed < first.Seed {
					first = p
				}
			}
			return first
		}
	}
	return nil
}

func indexOf(ls []*loaded, l *loaded) int {
	for i, x := range ls {
		if x == l {
			return i
		}
	}
	return -1
}

// orderLike orders finished results like the scenarios were given.
func orderLike(finished []result.ScenarioResult, ls []*loaded) []result.ScenarioResult {
	var out []result.ScenarioResult
	for _, l := range ls {
		for _, r := range finished {
			if r.File == l.file {
				out = append(out, r)
			}
		}
	}
	return out
}

func findLoaded(ls []*loaded, file string) *loaded {
	for _, l := range ls {
		if l.file == file {
			return l
		}
	}
	return nil
}

func reproduceCommand(r *result.ScenarioResult, out string) string {
	if r.FailingSeed == nil {
		return ""
	}
	return fmt.Sprintf("leasesim run %s --seed %d", r.File, *r.FailingSeed)
}

// writeSuiteResults rewrites results.jsonl and runs.jsonl atomically.
func writeSuiteResults(dir string, rs []result.ScenarioResult) error {
	var rb, runs bytes.Buffer
	if err := result.WriteJSONLines(&rb, rs); err != nil {
		return err
	}
	for _, r := range rs {
		if err := result.WriteJSONLines(&runs, r.Runs); err != nil {
			return err
		}
	}
	if err := writeFileAtomic(filepath.Join(dir, "results.jsonl"), rb.Bytes()); err != nil {
		return err
	}
	return writeFileAtomic(filepath.Join(dir, "runs.jsonl"), runs.Bytes())
}

// writeSuiteReport writes out/report.html: the suite table and each failure's timeline
// (failures/ holds this run's bundles only), the same file `leasesim report` makes from
// one results directory.
func writeSuiteReport(out string, rs []result.ScenarioResult) error {
	fails, err := failureSections(out, out)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := reports.WriteHTML(&b, reports.Report{Title: "leasesim suite", Suite: rs, Failures: fails}); err != nil {
		return err
	}
	return writeFileAtomic(filepath.Join(out, "report.html"), b.Bytes())
}
