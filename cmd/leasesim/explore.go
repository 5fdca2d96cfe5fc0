package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"pgregory.net/rapid"

	"github.com/leasesim/leasesim/internal/runner"
	"github.com/leasesim/leasesim/scenarios"
)

func init() {
	subcommands = append(subcommands, newExploreCmd)
}

// exploreSummary is what explore found, printed with --json and written as summary.json.
type exploreSummary struct {
	Scenario        string   `json:"scenario"`
	Budget          int      `json:"budget"`
	Explored        int      `json:"explored"`
	Found           bool     `json:"found"`
	Kinds           []string `json:"kinds,omitempty"`
	FaultsBefore    int      `json:"faults_before"`
	FaultsAfter     int      `json:"faults_after"`
	DurationBefore  string   `json:"duration_before,omitempty"`
	DurationAfter   string   `json:"duration_after,omitempty"`
	ShrinkRuns      int      `json:"shrink_runs,omitempty"`
	Minimal         string   `json:"minimal,omitempty"`
	Reproduce       string   `json:"reproduce,omitempty"`
	FirstFindingMsg string   `json:"finding,omitempty"`
}

func newExploreCmd() *cobra.Command {
	var (
		budget     int
		out        string
		rapidSeed  uint64
		shrinkTime time.Duration
		asJSON     bool
	)
	cmd := &cobra.Command{
		Use:   "explore SCENARIO",
		Short: "Random fault search; shrinks the first failure to a minimal scenario",
		Long: `explore generates fault schedules from the scenario's bounds (the kinds, lengths, step and
drift bounds of its random entries, its default clock ranges, its duration) with rapid,
runs each, and stops at the first run with any finding. Every schedule ends with a
fault-free tail (the scenario's tail:, or 60s after its faults), in which the liveness
check (recovers_within, by default half the tail) finds a protocol that gets stuck. rapid then shrinks the schedule —
removing faults, shortening them, moving them earlier, pulling clock errors to zero,
shortening the run — to a minimal one that still fails, which is written as an ordinary
scenario file with expect: that 'leasesim run' reproduces, plus its history, timeline and
porcupine visualization.

Exit 1 when a failure was found, 0 when the budget ran out without one, 2 for bad input
(an unwritable --out or one another leasesim process is writing is found before the
search), 4 when a run panicked (an internal error).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			l, err := loadScenario(args[0])
			if err != nil {
				return err
			}
			if budget < 1 {
				return badInput("--budget %d: expected at least 1", budget)
			}
			if out == "" {
				out = filepath.Join("out", "explore-"+l.sc.Name)
			}
			d, err := prepareOut("--out", out)
			if err != nil {
				return err
			}
			defer d.Release()
			if err := initRapid(budget, rapidSeed, shrinkTime); err != nil {
				return err
			}
			sum, minimal, minRun, err := explore(l.sc, budget, newProgress("explore "+l.sc.Name, budget))
			if err != nil {
				return runFailed(err)
			}
			if sum.Found {
				path := filepath.Join(out, "minimal.yaml")
				if err := writeFileAtomic(path, minimal.Marshal()); err != nil {
					return err
				}
				var transcript bytes.Buffer
				rerun, err := runner.RunSeed(minimal, minimal.Seeds.From, runner.Options{Trace: &transcript, RecordMessages: true})
				if err != nil {
					return runFailed(err)
				}
				if rerun.Result.TraceHash != minRun.Result.TraceHash {
					return fmt.Errorf("explore: the minimal scenario did not replay to the same trace (%s vs %s): a determinism bug", rerun.Result.TraceHash, minRun.Result.TraceHash)
				}
				if err := writeRunDir(filepath.Join(out, "run"), rerun.History, rerun.Result, rerun.Check, transcript.Bytes()); err != nil {
					return err
				}
				sum.Minimal = path
				sum.Reproduce = "leasesim run " + path
			}
			sb, _ := json.MarshalIndent(sum, "", "  ")
			if sum.Found {
				if err := writeFileAtomic(filepath.Join(out, "summary.json"), append(sb, '\n')); err != nil {
					return err
				}
			}
			w := cmd.OutOrStdout()
			if asJSON {
				fmt.Fprintf(w, "%s\n", mustCompactJSON(sb))
			} else if sum.Found {
				fmt.Fprintf(w, "%s: found %s after %s: %s\n", l.sc.Name, strings.Join(sum.Kinds, ", "), count(sum.Explored, "schedule"), sum.FirstFindingMsg)
				fmt.Fprintf(w, "shrunk in %s: faults %d -> %d, duration %s -> %s\n", count(sum.ShrinkRuns, "run"), sum.FaultsBefore, sum.FaultsAfter, sum.DurationBefore, sum.DurationAfter)
				fmt.Fprintf(w, "minimal scenario: %s\nreproduce: %s\n", sum.Minimal, sum.Reproduce)
			} else {
				fmt.Fprintf(w, "%s: no finding in %s\n", l.sc.Name, count(sum.Explored, "schedule"))
			}
			if sum.Found {
				return withCode(exitViolated)
			}
			return nil
		},
	}
	cmd.Flags().IntVar(&budget, "budget", 200, "how many schedules to try before giving up")
	cmd.Flags().StringVar(&out, "out", "", "directory for the minimal scenario and its run (default out/explore-NAME)")
	cmd.Flags().Uint64Var(&rapidSeed, "seed", 1, "seed of the search itself (the same seed explores the same schedules)")
	cmd.Flags().DurationVar(&shrinkTime, "shrink-time", time.Minute, "wall-clock bound on shrinking")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the summary as one JSON object")
	return cmd
}

func mustCompactJSON(b []byte) []byte {
	var buf bytes.Buffer
	if err := json.Compact(&buf, b); err != nil {
		return b
	}
	return buf.Bytes()
}

// initRapid prepares rapid to run outside `go test`: the testing flags must exist and be
// parsed before rapid reads testing.Short, and rapid takes its check count, seed and
// shrink time from its own flags.
func initRapid(budget int, seed uint64, shrinkTime time.Duration) error {
	if flag.Lookup("test.short") == nil {
		testing.Init()
	}
	if !flag.Parsed() {
		if err := flag.CommandLine.Parse(nil); err != nil {
			return err
		}
	}
	for k, v := range map[string]string{
		"rapid.checks":     strconv.Itoa(budget),
		"rapid.seed":       strconv.FormatUint(seed, 10),
		"rapid.nofailfile": "true",
		"rapid.shrinktime": shrinkTime.String(),
	} {
		if err := flag.Set(k, v); err != nil {
			return fmt.Errorf("explore: setting %s: %w", k, err)
		}
	}
	return nil
}

// explore runs rapid over generated variants of sc. The first failing variant is the
// one found; the last failing variant is rapid's minimal one (rapid replays it last).
func explore(sc *scenarios.Scenario, budget int, prog *progress) (exploreSummary, *scenarios.Scenario, *runner.Run, error) {
	sum := exploreSummary{Scenario: sc.Name, Budget: budget}
	bounds := scenarios.BoundsFrom(sc)
	var (
		first, last *scenarios.Scenario
		lastRun     *runner.Run
		harnessErr  error
	)
	tb := &exploreTB{}
	rapid.Check(tb, func(t *rapid.T) {
		g := scenarios.Generate(t, sc, bounds)
		if first == nil {
			sum.Explored++
			prog.step(1)
		} else {
			sum.ShrinkRuns++
		}
		run, err := runner.RunSeed(g, g.Seeds.From, runner.Options{PorcupineTimeout: 10 * time.Second})
		if err != nil {
			harnessErr = err
			t.Fatalf("harness error: %v", err)
		}
		if len(run.Check.Findings) == 0 {
			return
		}
		if first == nil {
			first = g
			prog.found(1)
			prog.setNote("shrinking")
			sum.FirstFindingMsg = run.Check.Findings[0].Detail
		}
		last, lastRun = g, run
		t.Fatalf("%s: %s", run.Check.Findings[0].Kind, run.Check.Findings[0].Detail)
	})
	prog.finish()
	if harnessErr != nil {
		return sum, nil, nil, harnessErr
	}
	if last == nil {
		return sum, nil, nil, nil
	}
	kinds := map[string]bool{}
	for _, f := range lastRun.Check.Findings {
		kinds[string(f.Kind)] = true
	}
	minimal := *last
	minimal.Name = sc.Name + "-minimal"
	minimal.Description = fmt.Sprintf("Minimal counterexample found by leasesim explore from %s (%s, %s before shrinking).", sc.File, count(len(first.Faults), "fault"), first.Duration)
	minimal.Expect = scenarios.Expect{Properties: map[string]string{}, RecoversWithin: last.Expect.RecoversWithin}
	for k := range kinds {
		minimal.Expect.Properties[k] = scenarios.PropViolated
		sum.Kinds = append(sum.Kinds, k)
	}
	sort.Strings(sum.Kinds)
	sum.Found = true
	sum.FaultsBefore, sum.FaultsAfter = len(first.Faults), len(minimal.Faults)
	sum.DurationBefore, sum.DurationAfter = first.Duration.String(), minimal.Duration.String()
	sum.FirstFindingMsg = lastRun.Check.Findings[0].Detail
	return sum, &minimal, lastRun, nil
}

// exploreTB is the rapid.TB that explore hands to rapid.Check outside `go test`: it
// records failure and otherwise stays quiet (rapid's own report repeats what explore
// prints).
type exploreTB struct {
	failed bool
}

func (*exploreTB) Helper()                 {}
func (*exploreTB) Name() string            { return "explore" }
func (*exploreTB) Logf(string, ...any)     {}
func (*exploreTB) Log(...any)              {}
func (*exploreTB) Skipf(string, ...any)    {}
func (*exploreTB) Skip(...any)             {}
func (*exploreTB) SkipNow()                {}
func (t *exploreTB) Errorf(string, ...any) { t.failed = true }
func (t *exploreTB) Error(...any)          { t.failed = true }
func (t *exploreTB) Fatalf(string, ...any) { t.failed = true }
func (t *exploreTB) Fatal(...any)          { t.failed = true }
func (t *exploreTB) FailNow()              { t.failed = true }
func (t *exploreTB) Fail()                 { t.failed = true }
func (t *exploreTB) Failed() bool          { return t.failed }
