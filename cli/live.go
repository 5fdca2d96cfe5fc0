package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/leasesim/leasesim/result"
	"io"
	"io/fs"
	"maps"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
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
		members     int
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
				Duration: duration, Unfenced: unfenced, Scenario: "live-etcd", Members: members}
			if trials < 1 {
				return badInput("--trials %d: expected at least 1", trials)
			}
			if members < 1 || members > 5 {
				return badInput("--members %d: expected 1 to 5", members)
			}
			if members > 1 && len(endpoints) > 0 {
				return badInput("--members %d with --endpoints: expected one or the other (--members sizes the embedded etcd)", members)
			}
			var simSc *scenarios.Scenario // the scenario to simulate alongside (protocol etcd)
			if scenarioArg != "" {
				l, err := loadScenario(scenarioArg)
				if err != nil {
					return err
				}
				simCfg, err := l.sc.Config(seed)
				if err != nil {
					return badInput("%v", err)
				}
				if l.sc.Issuers > 1 && !cmd.Flags().Changed("members") && len(endpoints) == 0 {
					cfg.Members = l.sc.Issuers // a crash of Qi stops member Qi
				}
				plan, err := live.PlanFromSimMembers(simCfg.Faults, l.sc.Holders, cfg.Members)
				if err != nil {
					return badInput("%s: %v", l.file, err)
				}
				cfg.Plan, cfg.Holders, cfg.Scenario = plan, l.sc.Holders, l.sc.Name
				if l.sc.Protocol == "etcd" {
					// The same plan in the simulator: its etcd model, with the scenario's TTL
					// and length unless the flags say otherwise.
					simSc = l.sc
					if !cmd.Flags().Changed("ttl") {
						cfg.TTL = time.Duration(l.sc.Values.Duration("ttl"))
					}
					if !cmd.Flags().Changed("duration") {
						cfg.Duration = l.sc.Duration
					}
				}
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
			if out != "" {
				if err := os.MkdirAll(out, 0o755); err != nil {
					return badInput("--out %s: %v", out, err)
				}
			}
			var done []live.TrialResult
			var outErr error
			cfg.OnTrial = func(r live.TrialResult) {
				prog.step(1)
				if r.Verdict == string(checker.Violated) {
					prog.found(1)
				}
				done = append(done, r)
				// --out is written trial by trial: what finished is there if the run stops.
				if out != "" && outErr == nil {
					outErr = writeLiveTrial(out, r, cfg.Scenario)
					if outErr == nil {
						outErr = writeLiveResults(out, done, cfg.Scenario)
					}
				}
			}
			results, err := live.RunTrials(ctx, cfg)
			prog.finish()
			if outErr != nil && err == nil {
				err = outErr
			}
			summaries := []live.Summary{summarizeLive(results)}
			if simSc != nil && len(results) > 0 {
				s, serr := simulateAlongside(ctx, simSc, seed, len(results))
				if serr != nil && err == nil {
					err = serr
				}
				if serr == nil {
					summaries = append(summaries, s)
				}
			}
			if out != "" && len(results) > 0 {
				b, _ := json.MarshalIndent(summaries, "", "  ")
				if werr := writeFileAtomic(filepath.Join(out, "summary.json"), append(b, '\n')); werr != nil && err == nil {
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
			if !jsonOut && len(results) > 0 {
				printLiveSummary(w, summaries)
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
	f.IntVar(&members, "members", 1, "members of the embedded etcd cluster, 1 to 5 (default: the scenario's issuers); with several, a scenario's crash of Qi stops member Qi")
	f.StringVar(&out, "out", "", "directory for trials.jsonl, each trial's run directory and suite-style results for leasesim report")
	return cmd
}

// writeLiveTrial writes one trial's run directory under dir: trials/trial-N/ or, for a
// trial with a judged finding, failures/trial-N/ with a bundle.json (history.jsonl,
// result.json, timeline.svg/.txt — marked as a live run — and porcupine's view of each
// overlap).
func writeLiveTrial(dir string, r live.TrialResult, scenario string) error {
	if r.History == nil {
		return nil
	}
	run := r.Check
	rr := liveRunResult(r, scenario)
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
	if !failed {
		return nil
	}
	info := bundleInfo{Scenario: fmt.Sprintf("%s trial %d (live)", scenario, r.Trial), File: "live", Seed: r.Seed,
		Verdict: r.Verdict, Replay: "leasesim check " + filepath.Join(tdir, "history.jsonl")}
	for _, w := range append(append([]live.Window{}, r.EffectiveOverlaps...), r.OtherFindings...) {
		info.Findings = append(info.Findings, fmt.Sprintf("%s %v: %s", w.Kind, w.Holders, w.Detail))
	}
	if n := len(r.BeliefOverlaps); n > 0 {
		info.Findings = append(info.Findings, fmt.Sprintf("expected: %d belief overlaps (p1), the longest %.0fms", n, r.MaxBeliefOverlapMS))
	}
	b, _ := json.MarshalIndent(info, "", "  ")
	return writeFileAtomic(filepath.Join(tdir, "bundle.json"), append(b, '\n'))
}

// liveRunResult is a trial as a suite's run result. The verdict is the trial's, from the
// checker's result (r.Check) with belief overlaps expected; the findings are all of the
// checker's.
func liveRunResult(r live.TrialResult, scenario string) result.RunResult {
	return result.RunResult{Scenario: scenario, Protocol: r.History.Meta.Protocol, Seed: r.Seed, Verdict: checker.Verdict(r.Verdict),
		Findings: r.Check.Findings, Metrics: r.Check.Metrics, Live: true}
}

// writeLiveResults writes what the trials so far showed, in the layouts the rest of
// leasesim reads (each trial's run directory is writeLiveTrial's): trials.jsonl (one
// live.TrialResult per trial) and results.jsonl/runs.jsonl as a suite writes them, so
// that 'leasesim report DIR' makes the same HTML report as for simulated runs. The
// expectation recorded for the suite table is the one live mode guarantees: no
// effective overlap (P2: etcd never accepted a stale leader's fenced write).
func writeLiveResults(dir string, results []live.TrialResult, scenario string) error {
	var buf strings.Builder
	sum := result.ScenarioResult{Scenario: scenario, File: "live", Protocol: "etcd-live"}
	var outcomes []result.SeedOutcome
	for _, r := range results {
		b, err := json.Marshal(r)
		if err != nil {
			return err
		}
		buf.WriteString(string(b) + "\n")
		if r.History == nil {
			continue
		}
		rr := liveRunResult(r, scenario)
		sum.Runs = append(sum.Runs, rr)
		outcomes = append(outcomes, result.OutcomeOf(rr))
	}
	if err := writeFileAtomic(filepath.Join(dir, "trials.jsonl"), []byte(buf.String())); err != nil {
		return err
	}
	sum.Summarize()
	sum.Met = true
	for _, e := range (result.Expect{Properties: map[string]string{"p2": result.PropHolds, "p1": result.PropViolated}}).Evaluate(outcomes) {
		if e.Key != "p2" {
			continue // belief overlaps (P1) are expected under partitions: reported, not judged
		}
		sum.Expectations = append(sum.Expectations, result.Expectation{Key: e.Key, Want: e.Want, Got: e.Got, Seed: e.Seed, Met: e.Met})
		sum.Met = e.Met
	}
	for _, r := range results {
		if r.Verdict == live.VerdictViolated {
			sum.Met = false // a judged finding other than P2 (P3, P4, a checker disagreement)
		}
	}
	return writeSuiteResults(dir, []result.ScenarioResult{sum})
}

// summarizeLive sums up the live trials.
func summarizeLive(results []live.TrialResult) live.Summary {
	var checks []checker.Result
	var ends []int64
	for _, r := range results {
		checks = append(checks, r.Check)
		var end int64
		if r.History != nil {
			end = r.History.Meta.End
		}
		ends = append(ends, end)
	}
	return live.Summarize("real etcd", checks, ends)
}

// simulateAlongside runs the scenario in the simulator (its etcd model) with as many
// seeds as live trials ran, from the same first seed, and sums the runs up as the live
// trials are.
func simulateAlongside(ctx context.Context, sc *scenarios.Scenario, seed uint64, n int) (live.Summary, error) {
	var jobs []runner.Job
	for i := range n {
		jobs = append(jobs, runner.Job{Seed: seed + uint64(i)})
	}
	var checks []checker.Result
	var ends []int64
	runs, err := runner.RunJobs(ctx, []*scenarios.Scenario{sc}, jobs, runner.SuiteOptions{KeepHistories: true})
	if err != nil {
		return live.Summary{}, err
	}
	for _, r := range runs {
		if r == nil || r.History == nil {
			continue
		}
		checks = append(checks, r.Check)
		ends = append(ends, r.History.Meta.End)
	}
	return live.Summarize("simulated etcd model", checks, ends), nil
}

// printLiveSummary prints the trials' summary, one column per source (real etcd, and the
// simulated model under the same plan when the scenario is an etcd one).
func printLiveSummary(w io.Writer, ss []live.Summary) {
	ms := func(v float64) string { return time.Duration(v * 1e6).Round(time.Millisecond).String() }
	rows := []struct {
		name string
		f    func(s live.Summary) string
	}{
		{"trials", func(s live.Summary) string { return fmt.Sprint(s.Trials) }},
		{"violating trials", func(s live.Summary) string { return s.Violating.String() }},
		{"with a belief overlap", func(s live.Summary) string { return s.BeliefOverlap.String() }},
		{"belief overlap width", func(s live.Summary) string {
			if s.BeliefOverlaps == 0 {
				return "-"
			}
			return fmt.Sprintf("mean %s, widest %s", ms(s.MeanBeliefOverlapMS), ms(s.MaxBeliefOverlapMS))
		}},
		{"failover gap", func(s live.Summary) string {
			if s.Failovers == 0 {
				return "-"
			}
			return fmt.Sprintf("%s to %s (%d)", ms(s.MinFailoverMS), ms(s.MaxFailoverMS), s.Failovers)
		}},
		{"longest unavailable", func(s live.Summary) string { return ms(s.MaxGapMS) }},
		{"effective overlaps", func(s live.Summary) string { return s.EffectiveOverlaps.String() }},
		{"other judged findings", func(s live.Summary) string {
			if len(s.Other) == 0 {
				return "none"
			}
			var parts []string
			for _, k := range slices.Sorted(maps.Keys(s.Other)) {
				parts = append(parts, fmt.Sprintf("%s: %d", k, s.Other[k]))
			}
			return strings.Join(parts, ", ")
		}},
		{"writes refused by the fence", func(s live.Summary) string { return fmt.Sprint(s.RejectedWrites) }},
		{"stale writes accepted", func(s live.Summary) string { return fmt.Sprint(s.AcceptedStaleWrites) }},
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprint(tw, "\nsummary")
	for _, s := range ss {
		fmt.Fprintf(tw, "\t%s", s.Source)
	}
	fmt.Fprintln(tw)
	for _, r := range rows {
		fmt.Fprint(tw, r.name)
		for _, s := range ss {
			fmt.Fprintf(tw, "\t%s", r.f(s))
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
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
