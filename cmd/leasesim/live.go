package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/internal/runner"
	"github.com/leasesim/leasesim/live"
	"github.com/leasesim/leasesim/reports"
	"github.com/leasesim/leasesim/scenarios"
)

func init() {
	subcommands = append(subcommands, newLiveCmd)
}

func newLiveCmd() *cobra.Command {
	live := &cobra.Command{
		Use:   "live",
		Short: "run the same holders against a real system",
	}
	live.AddCommand(newLiveEtcdCmd())
	return live
}

func newLiveEtcdCmd() *cobra.Command {
	var (
		scenarioArg string
		endpoints   []string
		trials      int
		seed        uint64
		ttl         time.Duration
		duration    time.Duration
		unfenced    bool
		jsonOut     bool
		out         string
	)
	cmd := &cobra.Command{
		Use:   "etcd",
		Short: "holder processes elect a leader through a real etcd (embedded unless --endpoints), under the scenario's faults",
		Long: `live etcd runs holder processes that campaign through etcd's concurrency.Election and
write to etcd as the resource, injects the scenario's faults with loopback proxies and
process signals, records the same history the simulator does, and checks it.

Two overlaps are reported: belief overlaps (two holders both believed they led; expected
under partitions, since a lease is only a promise) and effective overlaps (etcd accepted a
stale leader's write after a newer leader's: a real bug). With fencing (the default) the
second must be empty; --unfenced is the control experiment.

Exit code 1 when some trial had an effective overlap.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg := live.Config{Endpoints: endpoints, Trials: trials, Seed: seed, TTL: ttl,
				Duration: duration, Unfenced: unfenced, Scenario: "live-etcd"}
			if scenarioArg != "" {
				l, err := loadScenario(scenarioArg)
				if err != nil {
					return err
				}
				simCfg, err := l.sc.Config(seed)
				if err != nil {
					return badInput("%v", err)
				}
				plan, err := live.PlanFromSim(simCfg.Faults, l.sc.Holders)
				if err != nil {
					return badInput("%s: %v", l.file, err)
				}
				cfg.Plan, cfg.Holders, cfg.Scenario = plan, l.sc.Holders, l.sc.Name
			}
			if trials < 1 {
				return badInput("--trials %d: expected at least 1", trials)
			}
			if !jsonOut {
				cfg.Out = cmd.ErrOrStderr()
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt)
			defer stop()
			prog := newProgress("live etcd", trials)
			prog.setUnit("trials")
			if cfg.Out != nil {
				cfg.Out = prog.logWriter(cfg.Out)
			}
			cfg.OnTrial = func(r live.TrialResult) {
				prog.step(1)
				if r.Verdict == string(checker.Violated) {
					prog.found(1)
				}
			}
			results, err := live.RunTrials(ctx, cfg)
			prog.finish()
			if out != "" {
				if werr := writeLiveResults(out, results, cfg.Scenario); werr != nil && err == nil {
					err = werr
				}
			}
			violated := false
			w := cmd.OutOrStdout()
			for _, r := range results {
				violated = violated || r.Verdict == string(checker.Violated)
				if jsonOut {
					b, _ := json.Marshal(r)
					fmt.Fprintf(w, "%s\n", b)
					continue
				}
				fmt.Fprintf(w, "trial %d seed %d: %s  belief overlaps %d (longest %.0fms), effective overlaps %d, leader changes %d, writes %d accepted / %d rejected\n",
					r.Trial, r.Seed, strings.ToUpper(r.Verdict), len(r.BeliefOverlaps), r.MaxBeliefOverlapMS,
					len(r.EffectiveOverlaps), r.LeaderChanges, r.AcceptedWrites, r.RejectedWrites)
				for _, n := range r.Notes {
					fmt.Fprintf(w, "  note: %s\n", n)
				}
			}
			if err != nil {
				if errors.Is(err, live.ErrClusterStart) {
					return &exitError{code: exitBadInput, err: err}
				}
				return &exitError{code: exitUndecided, err: err}
			}
			if violated {
				return withCode(exitViolated)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&scenarioArg, "scenario", "", "scenario file or built-in name whose holders and faults to use")
	f.StringSliceVar(&endpoints, "endpoints", nil, "etcd client endpoints (default: start an embedded etcd on loopback)")
	f.IntVar(&trials, "trials", 1, "number of trials")
	f.Uint64Var(&seed, "seed", 1, "seed of the first trial (trial i uses seed+i)")
	f.DurationVar(&ttl, "ttl", 2*time.Second, "session TTL (whole seconds)")
	f.DurationVar(&duration, "duration", 0, "length of each trial (default: the last fault plus 3 TTLs)")
	f.BoolVar(&unfenced, "unfenced", false, "write without fencing (the control experiment)")
	f.BoolVar(&jsonOut, "json", false, "print one JSON object per trial")
	f.StringVar(&out, "out", "", "directory for trials.jsonl, each trial's run directory and suite-style results for leasesim report")
	return cmd
}

// writeLiveResults writes what the trials showed, in the layouts the rest of leasesim
// reads: trials.jsonl (one live.TrialResult per trial), trials/trial-N/ or, for a trial
// with findings, failures/trial-N/ with a bundle.json (the run directory of each trial:
// history.jsonl, result.json, timeline.svg/.txt — marked as a live run — and porcupine's
// view of each overlap), and results.jsonl/runs.jsonl as a suite writes
// them, so that 'leasesim report DIR' makes the same HTML report as for simulated runs.
// The expectation recorded for the suite table is the one live mode guarantees: no
// effective overlap (P2: etcd never accepted a stale leader's fenced write).
func writeLiveResults(dir string, results []live.TrialResult, scenario string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var buf strings.Builder
	sum := reports.ScenarioResult{Scenario: scenario, File: "live", Protocol: "etcd-live"}
	var outcomes []scenarios.SeedOutcome
	for _, r := range results {
		b, err := json.Marshal(r)
		if err != nil {
			return err
		}
		buf.WriteString(string(b) + "\n")
		if r.History == nil {
			continue
		}
		run := runner.Check(r.History, runner.Options{PorcupineTimeout: 30 * time.Second})
		rr := reports.RunResult{Scenario: scenario, Protocol: r.History.Meta.Protocol, Seed: r.Seed, Verdict: run.Verdict,
			Findings: run.Findings, Metrics: run.Metrics, Live: true}
		// A trial with findings goes where 'leasesim report' looks for failures, with a
		// bundle.json that says how to check it again.
		tdir := filepath.Join(dir, "trials", fmt.Sprintf("trial-%d", r.Trial))
		if len(run.Findings) > 0 {
			tdir = filepath.Join(dir, "failures", fmt.Sprintf("trial-%d", r.Trial))
		}
		if err := writeRunDir(tdir, r.History, rr, run, nil); err != nil {
			return err
		}
		if len(run.Findings) > 0 {
			info := bundleInfo{Scenario: fmt.Sprintf("%s trial %d (live)", scenario, r.Trial), File: "live", Seed: r.Seed,
				Verdict: string(run.Verdict), Replay: "leasesim check " + filepath.Join(tdir, "history.jsonl")}
			for _, f := range run.Findings {
				info.Findings = append(info.Findings, fmt.Sprintf("%s %v: %s", f.Kind, f.Holders, f.Detail))
			}
			b, _ := json.MarshalIndent(info, "", "  ")
			if err := writeFileAtomic(filepath.Join(tdir, "bundle.json"), append(b, '\n')); err != nil {
				return err
			}
		}
		sum.Runs = append(sum.Runs, rr)
		outcomes = append(outcomes, outcomeOf(rr))
	}
	if err := writeFileAtomic(filepath.Join(dir, "trials.jsonl"), []byte(buf.String())); err != nil {
		return err
	}
	sum.Summarize()
	sum.Met = true
	for _, e := range (scenarios.Expect{Properties: map[string]string{"p2": scenarios.PropHolds, "p1": scenarios.PropViolated}}).Evaluate(outcomes) {
		if e.Key != "p2" {
			continue // belief overlaps (P1) are expected under partitions: reported, not judged
		}
		sum.Expectations = append(sum.Expectations, reports.Expectation{Key: e.Key, Want: e.Want, Got: e.Got, Seed: e.Seed, Met: e.Met})
		sum.Met = e.Met
	}
	return writeSuiteResults(dir, []reports.ScenarioResult{sum})
}
