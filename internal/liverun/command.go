package liverun

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/leasesim/leasesim/internal/exit"
	"github.com/leasesim/leasesim/internal/progress"
	"github.com/leasesim/leasesim/internal/suitedir"
	"github.com/leasesim/leasesim/live"
	"github.com/leasesim/leasesim/result"
	"github.com/leasesim/leasesim/scenarios"
)

// Command is one `leasesim live etcd` around its trials: where it writes, what it
// simulates alongside, and how it reports progress.
type Command struct {
	Out   string              // the results directory, which exists ("" for none)
	Sim   *scenarios.Scenario // the etcd scenario simulated alongside (nil for none)
	Seed  uint64              // the first trial's seed, and the simulation's
	JSON  bool                // the trials are printed as JSON: no trial log on stderr
	Quiet bool                // no progress on stderr
}

// Run runs cfg's trials with progress on stderr, writing each trial's directory and the
// suite-style results under Out as it finishes, then sums the trials up (Summarize,
// SimulateAlongside) and writes summary.json under Out. It returns the trials, their
// summaries and the first error.
func (c Command) Run(ctx context.Context, cfg live.Config, stderr io.Writer) ([]live.TrialResult, []live.Summary, error) {
	prog := progress.New("live etcd", cfg.Trials, c.Quiet)
	prog.SetUnit("trials")
	if !c.JSON {
		cfg.Out = prog.LogWriter(stderr)
	}
	w := &Writer{Dir: c.Out, Scenario: cfg.Scenario}
	var outErr error
	cfg.OnTrial = func(r live.TrialResult) {
		prog.Step(1)
		if r.Verdict == live.VerdictViolated {
			prog.Found(1)
		}
		if c.Out != "" && outErr == nil {
			if outErr = w.Add(r); outErr == nil {
				outErr = suitedir.WriteResults(c.Out, []result.ScenarioResult{w.Suite()})
			}
		}
	}
	results, err := live.RunTrials(ctx, cfg)
	prog.Finish()
	summaries, err := c.summarize(ctx, results, cmp.Or(err, outErr))
	return results, summaries, err
}

// summarize sums up the trials and, with an etcd scenario, the same plan simulated, and
// writes summary.json under Out. It returns the summaries and the first error (err
// first).
func (c Command) summarize(ctx context.Context, results []live.TrialResult, err error) ([]live.Summary, error) {
	summaries := []live.Summary{Summarize(results)}
	if c.Sim != nil && len(results) > 0 {
		s, serr := SimulateAlongside(ctx, c.Sim, c.Seed, len(results))
		if err = cmp.Or(err, serr); serr == nil {
			summaries = append(summaries, s)
		}
	}
	if c.Out != "" && len(results) > 0 {
		err = cmp.Or(err, WriteSummary(c.Out, summaries))
	}
	return summaries, err
}

// Print prints each trial (a JSON object with c.JSON) and, without it, the summary.
func (c Command) Print(w io.Writer, results []live.TrialResult, summaries []live.Summary) {
	for _, r := range results {
		if c.JSON {
			b, _ := json.Marshal(r)
			fmt.Fprintf(w, "%s\n", b)
			continue
		}
		PrintTrial(w, r)
	}
	if !c.JSON && len(results) > 0 {
		PrintSummary(w, summaries)
	}
}

// Exit is live etcd's ending: exit 2 for an unreachable etcd or one that cannot start,
// 3 for another error or an undecided trial, 1 for a violating trial, else nil.
func Exit(results []live.TrialResult, err error) error {
	if err != nil {
		var epErr *live.EndpointError
		if errors.As(err, &epErr) {
			return exit.Bad("--endpoints %s: %v", epErr.Endpoint, err)
		}
		if errors.Is(err, live.ErrClusterStart) {
			return &exit.Error{Code: exit.BadInput, Err: err}
		}
		return &exit.Error{Code: exit.Undecided, Err: err}
	}
	violated, unknown := false, false
	for _, r := range results {
		violated = violated || r.Verdict == live.VerdictViolated
		unknown = unknown || r.Verdict == live.VerdictUnknown
	}
	switch {
	case violated:
		return exit.With(exit.Violated)
	case unknown:
		return exit.With(exit.Undecided)
	}
	return nil
}
