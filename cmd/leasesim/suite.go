package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/leasesim/leasesim/internal/runner"
	"github.com/leasesim/leasesim/reports"
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

Exit 0 when every expectation is met, 1 when one is not (each failure names a seed and
the command that reproduces it), 2 for bad input, 3 when a check could not decide.
--out DIR keeps results.jsonl (one object per scenario), runs.jsonl (one per seed) and a
failure bundle per failing scenario; results are rewritten atomically as scenarios
finish, so an interrupted suite (Ctrl-C) keeps what it finished.`,
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
				scs := make([]*scenarios.Scenario, len(ls))
				for i, l := range ls {
					scs[i] = l.sc
					if seeds > 0 {
						l.sc.SetSeedCount(seeds)
					}
				}
				jobs := runner.Shard(runner.Jobs(scs), si, sn)
				ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
				defer stop()
				prog := newProgress("suite", len(jobs))
				var finished []reports.ScenarioResult
				start := time.Now()
				elapsed := map[string]time.Duration{}
				var writeErr error
				opt := runner.SuiteOptions{
					Options: runner.Options{PorcupineTimeout: timeout},
					Workers: workers,
					OnRun: func(j runner.Job, r *runner.Run) {
						prog.stepRun(r)
						elapsed[scs[j.Scenario].Name] += r.Elapsed
					},
					OnScenario: func(i int, runs []*runner.Run) {
						r := runner.Summarize(scs[i], ls[i].file, runs)
						finished = append(finished, r)
						if out != "" && writeErr == nil {
							writeErr = writeSuiteResults(out, finished)
						}
					},
				}
				_, runErr := runner.RunJobs(ctx, scs, jobs, opt)
				prog.finish()
				interrupted := errors.Is(runErr, context.Canceled)
				if runErr != nil && !interrupted {
					return badInput("%v", runErr)
				}
				results := orderLike(finished, ls)
				for i := range results {
					r := &results[i]
					r.Reproduce = reproduceCommand(r, out)
					if out != "" && !r.Met && r.FailingSeed != nil {
						l := findLoaded(ls, r.File)
						dir, err := writeBundle(out, l, *r.FailingSeed, timeout)
						if err != nil {
							return err
						}
						r.Bundle = dir
						r.Reproduce = "leasesim replay " + dir
					}
				}
				if out != "" {
					if err := writeSuiteResults(out, results); err != nil {
						return err
					}
					if err := writeSuiteReport(out, results); err != nil {
						return err
					}
				}
				if writeErr != nil {
					return writeErr
				}
				if junit != "" {
					var b bytes.Buffer
					if err := reports.WriteJUnit(&b, reports.JUnitSuite{Name: "leasesim suite",
						Started: start, Elapsed: time.Since(start), Results: results, CaseTime: elapsed}); err != nil {
						return err
					}
					if err := writeFileAtomic(junit, b.Bytes()); err != nil {
						return err
					}
				}
				w := cmd.OutOrStdout()
				if asJSON {
					if err := reports.WriteJSONLines(w, results); err != nil {
						return err
					}
				} else if err := reports.WriteSuiteTable(w, results); err != nil {
					return err
				}
				if interrupted {
					fmt.Fprintf(cmd.ErrOrStderr(), "leasesim: interrupted after %d of %s; finished results are in %s\n", len(results), reports.Count(len(ls), "scenario"), orDash(out))
					return withCode(exitViolated)
				}
				return withCode(suiteExitCode(results))
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

// suiteExitCode: 1 if an expectation failed, else 3 if a check could not decide, else 0.
func suiteExitCode(results []reports.ScenarioResult) int {
	code := exitOK
	for _, r := range results {
		if r.Error != "" || !r.Met {
			return exitViolated
		}
		if r.Unknown > 0 {
			code = exitUndecided
		}
	}
	return code
}

// orderLike orders finished results like the scenarios were given.
func orderLike(finished []reports.ScenarioResult, ls []*loaded) []reports.ScenarioResult {
	var out []reports.ScenarioResult
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

func reproduceCommand(r *reports.ScenarioResult, out string) string {
	if r.FailingSeed == nil {
		return ""
	}
	return fmt.Sprintf("leasesim run %s --seed %d", r.File, *r.FailingSeed)
}

// writeSuiteResults rewrites results.jsonl and runs.jsonl atomically.
func writeSuiteResults(dir string, results []reports.ScenarioResult) error {
	var rb, runs bytes.Buffer
	if err := reports.WriteJSONLines(&rb, results); err != nil {
		return err
	}
	for _, r := range results {
		if err := reports.WriteJSONLines(&runs, r.Runs); err != nil {
			return err
		}
	}
	if err := writeFileAtomic(filepath.Join(dir, "results.jsonl"), rb.Bytes()); err != nil {
		return err
	}
	return writeFileAtomic(filepath.Join(dir, "runs.jsonl"), runs.Bytes())
}

// writeSuiteReport writes out/report.html: the suite table and each failure's timeline,
// the same file `leasesim report` makes from one results directory.
func writeSuiteReport(out string, results []reports.ScenarioResult) error {
	fails, err := failureSections(out, out)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := reports.WriteHTML(&b, reports.Report{Title: "leasesim suite", Suite: results, Failures: fails}); err != nil {
		return err
	}
	return writeFileAtomic(filepath.Join(out, "report.html"), b.Bytes())
}
