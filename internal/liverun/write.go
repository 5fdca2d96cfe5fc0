package liverun

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/internal/bundle"
	"github.com/leasesim/leasesim/internal/rundir"
	"github.com/leasesim/leasesim/live"
	"github.com/leasesim/leasesim/result"
)

// Writer writes a live run's directory trial by trial, so that what finished is there
// if the run stops.
type Writer struct {
	// Dir is the run's directory; Scenario the name the trials ran under.
	Dir, Scenario string
	done          []live.TrialResult
}

// Add writes the trial's run directory (WriteTrial) and trials.jsonl with every trial so
// far.
func (w *Writer) Add(r live.TrialResult) error {
	w.done = append(w.done, r)
	if err := WriteTrial(w.Dir, r, w.Scenario); err != nil {
		return err
	}
	return WriteTrials(w.Dir, w.done)
}

// Suite is the trials so far as a suite's scenario result (Suite).
func (w *Writer) Suite() result.ScenarioResult { return Suite(w.done, w.Scenario) }

// WriteTrial writes one trial's run directory under dir: trials/trial-N/ or, for a
// trial with a judged finding, failures/trial-N/ with a bundle.json (history.jsonl,
// result.json, timeline.svg/.txt — marked as a live run — and porcupine's view of each
// overlap), where `leasesim report` looks for failures.
func WriteTrial(dir string, r live.TrialResult, scenario string) error {
	if r.History == nil {
		return nil
	}
	run := r.Check
	// Belief overlaps alone are expected, not a failure.
	failed := r.Verdict == live.VerdictViolated
	tdir := filepath.Join(dir, "trials", fmt.Sprintf("trial-%d", r.Trial))
	if failed {
		tdir = filepath.Join(dir, "failures", fmt.Sprintf("trial-%d", r.Trial))
		// The zoomed timeline shows the first judged finding, not a belief overlap.
		run.Findings = judgedFirst(run.Findings)
	}
	opt := rundir.Options{Expected: live.IsBeliefOverlap}
	if err := rundir.Write(tdir, r.History, RunResult(r, scenario), run, opt); err != nil || !failed {
		return err
	}
	info := bundle.Info{Scenario: fmt.Sprintf("%s trial %d (live)", scenario, r.Trial), File: "live", Seed: r.Seed,
		Verdict: r.Verdict, Replay: result.Command("check", filepath.Join(tdir, "history.jsonl"))}
	for _, w := range judged(r) {
		info.Findings = append(info.Findings, fmt.Sprintf("%s %v: %s", w.Kind, w.Holders, w.Detail))
	}
	if n := len(r.BeliefOverlaps); n > 0 {
		info.Findings = append(info.Findings, fmt.Sprintf("expected: %d belief overlaps (p1), the longest %.0fms", n, r.MaxBeliefOverlapMS))
	}
	b, _ := json.MarshalIndent(info, "", "  ")
	return rundir.WriteFile(filepath.Join(tdir, "bundle.json"), append(b, '\n'))
}

// WriteTrials writes trials.jsonl: one live.TrialResult per trial.
func WriteTrials(dir string, results []live.TrialResult) error {
	var buf strings.Builder
	for _, r := range results {
		b, err := json.Marshal(r)
		if err != nil {
			return err
		}
		buf.WriteString(string(b) + "\n")
	}
	return rundir.WriteFile(filepath.Join(dir, "trials.jsonl"), []byte(buf.String()))
}

// RunResult is a trial as a suite's run result. The verdict is the trial's, from the
// checker's result (r.Check) with belief overlaps expected; the findings are all of the
// checker's.
func RunResult(r live.TrialResult, scenario string) result.RunResult {
	return result.RunResult{Scenario: scenario, Protocol: r.History.Meta.Protocol, Seed: r.Seed, Verdict: checker.Verdict(r.Verdict),
		Findings: r.Check.Findings, Metrics: r.Check.Metrics, Live: true}
}

// Suite is the trials as a suite's scenario result, for results.jsonl and runs.jsonl,
// so that `leasesim report DIR` makes the same HTML report as for simulated runs. The
// expectation recorded is the one live mode guarantees: no effective overlap (P2: etcd
// never accepted a stale leader's fenced write); any other judged finding fails it too.
func Suite(results []live.TrialResult, scenario string) result.ScenarioResult {
	sum := result.ScenarioResult{Scenario: scenario, File: "live", Protocol: "etcd-live"}
	var outcomes []result.SeedOutcome
	for _, r := range results {
		if r.History == nil {
			continue
		}
		rr := RunResult(r, scenario)
		sum.Runs = append(sum.Runs, rr)
		outcomes = append(outcomes, result.OutcomeOf(rr))
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
	return sum
}

// judged is a trial's judged findings: its effective overlaps, then the others.
func judged(r live.TrialResult) []live.Window {
	return append(append([]live.Window{}, r.EffectiveOverlaps...), r.OtherFindings...)
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
