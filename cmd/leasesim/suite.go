package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/leasesim/leasesim/internal/outdir"
	"github.com/leasesim/leasesim/internal/runner"
	"github.com/leasesim/leasesim/reports"
	"github.com/leasesim/leasesim/results"
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
	subcommands = append(subcommands, func() *cobra.Command {
		var (
			seeds   int
			junit   string
			asJSON  bool
			out     string
			shard   string
			workers int
			timeout time.Duration
		)
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
replays the panicking seed); 130 when interrupted. The first of 130, 4, 2, 1, 3 wins.

--out DIR keeps results.jsonl (one object per scenario), runs.jsonl (one per seed),
report.html and failures/ (a bundle per failing scenario, emptied at the start so that
it holds this run's bundles only). Results are rewritten atomically as scenarios
finish: Ctrl-C or SIGTERM starts no new run and keeps what finished. Two leasesim
processes cannot write one directory at the same time.`,
			RunE: func(cmd *cobra.Command, args []string) error {
				si, sn, err := parseShard(shard)
				if err != nil {
					return err
				}
				if seeds < 0 {
					return badInput("--seeds %d: expected a count >= 1", seeds)
				}
				ls, errs := loadPaths(args)
				if len(errs) > 0 {
					for _, e := range errs {
						fmt.Fprintln(cmd.ErrOrStderr(), "leasesim:", e)
					}
					return withCode(exitBadInput)
				}
				if len(ls) == 0 {
					return badInput("no scenario files found in %s", strings.Join(args, ", "))
				}
				// Every output is created and checked before any run, so that a bad path
				// costs nothing and never hides the verdict.
				var failures string
				if out != "" {
					d, err := outdir.Prepare("--out", out)
					if err != nil {
						return badInput("%v", err)
					}
					defer d.Release()
					if failures, err = d.Fresh("failures"); err != nil {
						return badInput("--out %v", err)
					}
					// An older run's results must not pass for this one's if this one is
					// interrupted before its first scenario finishes.
					if err := writeSuiteResults(out, nil); err != nil {
						return badInput("--out %s: %v", out, err)
					}
					os.Remove(filepath.Join(out, "report.html"))
				}
				if junit != "" {
					if err := outdir.CheckFile("--junit", junit); err != nil {
						return badInput("%v", err)
					}
				}
				scs := make([]*scenarios.Scenario, len(ls))
				for i, l := range ls {
					scs[i] = l.sc
					if seeds > 0 {
						l.sc.SetSeedCount(seeds)
					}
				}
				jobs := runner.Shard(runner.Jobs(scs), si, sn)
				ctx, stop := signalContext()
				defer stop()
				prog := newProgress("suite", len(jobs))
				var finished []results.ScenarioResult
				start := time.Now()
				elapsed := map[string]time.Duration{}
				panics := map[int][]*runner.InternalError{}
				var writeErr error
				opt := runner.SuiteOptions{
					Options: runner.Options{PorcupineTimeout: timeout},
					Workers: workers,
					OnRun: func(j runner.Job, r *runner.Run) {
						prog.stepRun(r)
						elapsed[scs[j.Scenario].Name] += r.Elapsed
					},
					OnInternalError: func(j runner.Job, ie *runner.InternalError) {
						prog.stepRun(nil)
						panics[j.Scenario] = append(panics[j.Scenario], ie)
					},
					OnScenario: func(i int, runs []*runner.Run) {
						r := runner.Summarize(scs[i], ls[i].file, runs)
						if ps := panics[i]; len(ps) > 0 {
							markInternal(&r, ps)
						}
						finished = append(finished, r)
						if out != "" && writeErr == nil {
							writeErr = writeSuiteResults(out, finished)
						}
					},
				}
				_, runErr := runner.RunJobs(ctx, scs, jobs, opt)
				prog.finish()
				interrupted := ctx.Err() != nil
				stop()
				var ie *runner.InternalError
				if runErr != nil && !errors.Is(runErr, context.Canceled) && !errors.As(runErr, &ie) {
					// A scenario that loaded but could not be built for a seed: the other
					// results would be evaluated over missing seeds, so none is shown.
					fmt.Fprintln(cmd.ErrOrStderr(), "leasesim:", runErr)
					return withCode(worstExit(exitBadInput, codeIf(len(panics) > 0, exitInternal), codeIf(interrupted, exitInterrupted)))
				}
				rs := orderLike(finished, ls)
				for i := range rs {
					r := &rs[i]
					r.Reproduce = reproduceCommand(r, out)
					if out == "" || r.Met {
						continue
					}
					l := findLoaded(ls, r.File)
					var seed uint64
					var unmet []results.Expectation
					switch ps := panics[indexOf(ls, l)]; {
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
					dir, err := writeBundle(failures, l, seed, timeout, unmet)
					if err != nil {
						writeErr = errors.Join(writeErr, fmt.Errorf("failure bundle of %s: %w", r.Scenario, err))
						continue
					}
					r.Bundle = dir
					r.Reproduce = "leasesim replay " + dir
					if len(panics[indexOf(ls, l)]) > 0 {
						r.Error += "; replay: " + r.Reproduce
					}
				}
				if out != "" {
					writeErr = errors.Join(writeErr, writeSuiteResults(out, rs), writeSuiteReport(out, rs))
				}
				if junit != "" {
					var b bytes.Buffer
					err := reports.WriteJUnit(&b, reports.JUnitSuite{Name: "leasesim suite",
						Started: start, Elapsed: time.Since(start), Results: rs, CaseTime: elapsed})
					if err == nil {
						err = writeFileAtomic(junit, b.Bytes())
					}
					if err != nil {
						writeErr = errors.Join(writeErr, fmt.Errorf("--junit %s: %w", junit, err))
					}
				}
				w := cmd.OutOrStdout()
				if asJSON {
					if err := results.WriteJSONLines(w, rs); err != nil {
						return err
					}
				} else if err := reports.WriteSuiteTable(w, rs); err != nil {
					return err
				}
				code := suiteExitCode(rs)
				stderr := cmd.ErrOrStderr()
				if writeErr != nil {
					fmt.Fprintln(stderr, "leasesim: writing results:", writeErr)
					code = worstExit(code, exitBadInput)
				}
				if n := countPanics(panics); n > 0 {
					fmt.Fprintf(stderr, "leasesim: internal error: %s panicked, the first: %v\nleasesim: please report it with the failure bundle; the other runs went on\n", reports.Count(n, "run"), firstPanic(panics, len(ls)))
					code = worstExit(code, exitInternal)
				} else if ie != nil {
					// leasesim's own code panicked while it recorded a run.
					fmt.Fprintf(stderr, "leasesim: %v (please report it)\n%s", ie, ie.Stack)
					code = worstExit(code, exitInternal)
				}
				if interrupted {
					fmt.Fprintf(stderr, "leasesim: interrupted: no new run was started; %d of %s finished, their results are in %s\n", len(rs), reports.Count(len(ls), "scenario"), orDash(out))
					return withCode(exitInterrupted)
				}
				if code == exitUndecided {
					fmt.Fprintln(stderr, "leasesim: nothing failed, but some checks could not decide within --timeout; rerun with a longer --timeout (0: none)")
				}
				return withCode(code)
			},
		}
		f := cmd.Flags()
		f.IntVar(&seeds, "seeds", 0, "run this many seeds of each scenario instead of its own seeds: count")
		f.StringVar(&junit, "junit", "", "write JUnit XML (one testcase per scenario) to this file")
		f.BoolVar(&asJSON, "json", false, "print one JSON object per scenario instead of the table")
		f.StringVar(&out, "out", "results", "write results.jsonl, runs.jsonl, report.html and failure bundles into this directory (\"\" for none)")
		f.StringVar(&shard, "shard", "", "run only shard i of n (i/n) of the scenario × seed jobs; merge shards with leasesim report")
		f.IntVar(&workers, "workers", 0, "runs in parallel (default: the number of CPUs)")
		f.DurationVar(&timeout, "timeout", 0, "wall-clock limit for each porcupine check (0: none)")
		return cmd
	})
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
func suiteExitCode(rs []results.ScenarioResult) int {
	code := exitOK
	for _, r := range rs {
		switch {
		case results.Undecided(r):
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
func markInternal(r *results.ScenarioResult, ps []*runner.InternalError) {
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
func orderLike(finished []results.ScenarioResult, ls []*loaded) []results.ScenarioResult {
	var out []results.ScenarioResult
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

func reproduceCommand(r *results.ScenarioResult, out string) string {
	if r.FailingSeed == nil {
		return ""
	}
	return fmt.Sprintf("leasesim run %s --seed %d", r.File, *r.FailingSeed)
}

// writeSuiteResults rewrites results.jsonl and runs.jsonl atomically.
func writeSuiteResults(dir string, rs []results.ScenarioResult) error {
	var rb, runs bytes.Buffer
	if err := results.WriteJSONLines(&rb, rs); err != nil {
		return err
	}
	for _, r := range rs {
		if err := results.WriteJSONLines(&runs, r.Runs); err != nil {
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
func writeSuiteReport(out string, rs []results.ScenarioResult) error {
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
