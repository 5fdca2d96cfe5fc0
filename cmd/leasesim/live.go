package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/leasesim/leasesim/checker"
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

Every trial's history goes to the same checker as simulated runs ('leasesim check'), and
its findings are shown in two kinds: belief overlaps (the checker's P1 windows: two
holders both believed they led; expected with etcd's client under partitions and pauses,
since a lease is only a promise) and effective overlaps (its P2 findings: etcd accepted a
stale leader's write after a newer leader's: a real bug). Belief overlaps are reported,
not judged; any other finding is. With fencing (the default) there must be no effective
overlap; --unfenced is the control experiment.

Exit code 1 when some trial had an effective overlap (or another judged finding), 3 when
the checker could not decide a trial, 2 when etcd cannot be reached at --endpoints or the
embedded etcd cannot start.`,
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
			violated, unknown := false, false
			w := cmd.OutOrStdout()
			for _, r := range results {
				violated = violated || r.Verdict == live.VerdictViolated
				unknown = unknown || r.Verdict == live.VerdictUnknown
				if jsonOut {
					b, _ := json.Marshal(r)
					fmt.Fprintf(w, "%s\n", b)
					continue
				}
				printLiveTrial(w, r)
			}
			if err != nil {
				var epErr *live.EndpointError
				if errors.As(err, &epErr) {
					return badInput("--endpoints %s: %v", epErr.Endpoint, err)
				}
				if errors.Is(err, live.ErrClusterStart) {
					return &exitError{code: exitBadInput, err: err}
				}
				return &exitError{code: exitUndecided, err: err}
			}
			switch {
			case violated:
				return withCode(exitViolated)
			case unknown:
				return withCode(exitUndecided)
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
		// The verdict is the trial's, from the checker's result (r.Check) with belief
		// overlaps expected; the findings are all of the checker's.
		run := r.Check
		rr := reports.RunResult{Scenario: scenario, Protocol: r.History.Meta.Protocol, Seed: r.Seed, Verdict: checker.Verdict(r.Verdict),
			Findings: run.Findings, Metrics: run.Metrics, Live: true}
		// A trial with a judged finding goes where 'leasesim report' looks for failures,
		// with a bundle.json that says how to check it again; belief overlaps alone are
		// expected, not a failure.
		failed := r.Verdict == live.VerdictViolated
		tdir := filepath.Join(dir, "trials", fmt.Sprintf("trial-%d", r.Trial))
		if failed {
			tdir = filepath.Join(dir, "failures", fmt.Sprintf("trial-%d", r.Trial))
			// The zoomed timeline shows the first judged finding, not a belief overlap.
			run.Findings = judgedFirst(run.Findings)
		}
		if err := writeRunDir(tdir, r.History, rr, run, nil); err != nil {
			return err
		}
		if failed {
			info := bundleInfo{Scenario: fmt.Sprintf("%s trial %d (live)", scenario, r.Trial), File: "live", Seed: r.Seed,
				Verdict: r.Verdict, Replay: "leasesim check " + filepath.Join(tdir, "history.jsonl")}
			for _, w := range append(append([]live.Window{}, r.EffectiveOverlaps...), r.OtherFindings...) {
				info.Findings = append(info.Findings, fmt.Sprintf("%s %v: %s", w.Kind, w.Holders, w.Detail))
			}
			if n := len(r.BeliefOverlaps); n > 0 {
				info.Findings = append(info.Findings, fmt.Sprintf("expected: %d belief overlaps (p1), the longest %.0fms", n, r.MaxBeliefOverlapMS))
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
	for _, r := range results {
		if r.Verdict == live.VerdictViolated {
			sum.Met = false // a judged finding other than P2 (P3, P4, a checker disagreement)
		}
	}
	return writeSuiteResults(dir, []reports.ScenarioResult{sum})
}

// printLiveTrial prints one trial's line: the verdict, the belief overlaps (expected) with
// their widths, and each judged finding on a line of its own.
func printLiveTrial(w io.Writer, r live.TrialResult) {
	widths := make([]string, 0, len(r.BeliefOverlaps))
	for _, b := range r.BeliefOverlaps {
		widths = append(widths, fmt.Sprintf("%.0fms", b.MS))
	}
	belief := "none"
	if len(widths) > 0 {
		belief = fmt.Sprintf("%d expected (%s)", len(widths), strings.Join(widths, ", "))
	}
	fmt.Fprintf(w, "trial %d seed %d: %s  belief overlaps %s, effective overlaps %d, leader changes %d, writes %d accepted / %d rejected\n",
		r.Trial, r.Seed, strings.ToUpper(r.Verdict), belief, len(r.EffectiveOverlaps), r.LeaderChanges, r.AcceptedWrites, r.RejectedWrites)
	for _, f := range append(append([]live.Window{}, r.EffectiveOverlaps...), r.OtherFindings...) {
		fmt.Fprintf(w, "  %s %s: %s\n", strings.ToUpper(string(f.Kind)), strings.Join(f.Holders, ","), f.Detail)
	}
	if r.Verdict == live.VerdictUnknown {
		fmt.Fprintf(w, "  undecided: p1 %s, p3 %s\n", r.Check.Checks.P1.Note, r.Check.Checks.P3.Note)
	}
	for _, n := range r.Notes {
		fmt.Fprintf(w, "  note: %s\n", n)
	}
}

// judgedFirst orders a trial's findings with its judged ones (not belief overlaps) first,
// each group in the checker's order.
func judgedFirst(fs []checker.Finding) []checker.Finding {
	var judged, belief []checker.Finding
	for _, f := range fs {
		if live.IsBeliefOverlap(f) {
			belief = append(belief, f)
		} else {
			judged = append(judged, f)
		}
	}
	return append(judged, belief...)
}

// liveTrialSections reads the trials of a live run directory (trials.jsonl, as
// writeLiveResults wrote it) for the report's "Live trials" section: each trial's belief
// overlaps apart from its judged findings, links to its run directory (relative to the
// report's directory out) and, for a trial with belief overlaps and no failure bundle,
// its timeline to inline. A directory with no trials.jsonl has none.
func liveTrialSections(dir, out string) ([]reports.LiveTrial, error) {
	trials, err := readJSONL[live.TrialResult](filepath.Join(dir, "trials.jsonl"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, badInput("%v", err)
	}
	at := func(ns int64) string { return time.Duration(ns).Round(time.Millisecond).String() }
	window := func(w live.Window) reports.LiveWindow {
		width := time.Duration(w.To - w.From).Round(time.Millisecond).String()
		return reports.LiveWindow{Holders: strings.Join(w.Holders, ","), At: at(w.From), Width: width, Detail: w.Detail}
	}
	var sections []reports.LiveTrial
	for _, r := range trials {
		lt := reports.LiveTrial{Scenario: r.Scenario, Trial: r.Trial, Seed: r.Seed, Verdict: r.Verdict}
		for _, w := range r.BeliefOverlaps {
			lt.Belief = append(lt.Belief, window(w))
		}
		for _, w := range append(append([]live.Window{}, r.EffectiveOverlaps...), r.OtherFindings...) {
			lt.Judged = append(lt.Judged, window(w))
		}
		name := fmt.Sprintf("trial-%d", r.Trial)
		tdir := filepath.Join(dir, "failures", name)
		if _, err := os.Stat(filepath.Join(tdir, "bundle.json")); err == nil {
			lt.Failure = true
		} else {
			tdir = filepath.Join(dir, "trials", name)
		}
		for _, file := range []string{"timeline.svg", "timeline.txt", "history.jsonl", "result.json"} {
			if _, err := os.Stat(filepath.Join(tdir, file)); err != nil {
				continue
			}
			href, err := filepath.Rel(out, filepath.Join(tdir, file))
			if err != nil {
				href = filepath.Join(tdir, file)
			}
			lt.Links = append(lt.Links, reports.Link{Name: file, Href: filepath.ToSlash(href)})
		}
		if !lt.Failure && len(lt.Belief) > 0 {
			lt.TimelineSVG, _ = os.ReadFile(filepath.Join(tdir, "timeline.svg"))
		}
		sections = append(sections, lt)
	}
	return sections, nil
}
