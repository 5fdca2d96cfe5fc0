package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/leasesim/leasesim/history"
	"github.com/leasesim/leasesim/internal/runner"
	"github.com/leasesim/leasesim/result"
	"github.com/leasesim/leasesim/scenarios"
)

func init() {
	subcommands = append(subcommands, func() *cobra.Command {
		return &cobra.Command{
			Use:   "replay DIR|FILE",
			Short: "Re-run a saved failure bit for bit",
			Long: `replay re-runs a failure bundle (the directory suite --out wrote, or its bundle.json)
from the scenario bytes it saved, confirms that the run is the recorded one — the digest
of its complete history (every claim, write, client operation, fault and status) and its
trace hash and verdict — and evaluates again, on the bundle's seed, the expectations the
bundle was written for, naming each one that still fails.

Exit 0 when the run reproduces and nothing fails; 1 when an expectation still fails, a
property is violated, or the run is not the recorded one (NOT REPRODUCED); 3 when a
check could not decide (the bundle's --timeout is used again) and nothing failed; 4
when the run panics (a bundle written for an internal error
that reproduces); 2 for a bad bundle.`,
			Args: cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				warnVersion(cmd.ErrOrStderr(), args[0])
				return replay(cmd.OutOrStdout(), args[0])
			},
		}
	})
}

// replay re-runs the bundle at path and reports whether it reproduces.
func replay(w io.Writer, path string) error {
	info, sc, timeout, err := readBundle(path)
	if err != nil {
		return err
	}
	// Bundles record messages (for their space-time diagrams): so does the replay, so
	// that the digests compare like with like.
	run, err := runner.RunSeed(sc, info.Seed, runner.Options{PorcupineTimeout: timeout, RecordMessages: true})
	var ie *runner.InternalError
	if errors.As(err, &ie) {
		fmt.Fprintf(w, "%v\n%s\n", ie, ie.Stack)
		if info.Reason == reasonInternal {
			fmt.Fprintf(w, "reproduced: seed %d panics again (internal error: please report it)\n", info.Seed)
		} else {
			fmt.Fprintf(w, "NOT REPRODUCED: seed %d now panics; the bundle recorded verdict %s\n", info.Seed, info.Verdict)
		}
		return &exitError{code: exitInternal}
	}
	if err != nil {
		return badInput("%v", err)
	}
	printRunText(w, run.Result, run.Check.Checks)
	if info.Reason == reasonInternal {
		fmt.Fprintf(w, "NOT REPRODUCED: the bundle recorded a panic (%s); seed %d now runs to the end\n", info.Panic, info.Seed)
		return withCode(exitViolated)
	}
	code, err := compareReplay(w, info, run)
	if err != nil {
		return err
	}
	for _, u := range unmetOnSeed(sc, run, info) {
		fmt.Fprintln(w, u.text)
		code = worstExit(code, u.code)
	}
	return withCode(code)
}

// readBundle reads the failure bundle at path (its directory, or a file in it): what it
// recorded, its scenario, and the porcupine timeout it was checked with.
func readBundle(path string) (bundleInfo, *scenarios.Scenario, time.Duration, error) {
	var info bundleInfo
	dir := path
	if st, err := os.Stat(dir); err == nil && !st.IsDir() {
		dir = filepath.Dir(dir)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "bundle.json"))
	if err != nil {
		return info, nil, 0, badInput("%s is not a failure bundle: %v", path, err)
	}
	if err := json.Unmarshal(raw, &info); err != nil {
		return info, nil, 0, badInput("%s: %v", filepath.Join(dir, "bundle.json"), err)
	}
	var timeout time.Duration
	if info.PorcupineTimeout != "" {
		if timeout, err = time.ParseDuration(info.PorcupineTimeout); err != nil {
			return info, nil, 0, badInput("%s: porcupine_timeout %q: expected a duration like 10s", filepath.Join(dir, "bundle.json"), info.PorcupineTimeout)
		}
	}
	data, err := os.ReadFile(filepath.Join(dir, "scenario.yaml"))
	if err != nil {
		return info, nil, 0, badInput("bundle %s has no scenario.yaml: %v", dir, err)
	}
	sc, err := scenarios.Parse(data, filepath.Join(dir, "scenario.yaml"))
	if err != nil {
		return info, nil, 0, badInput("%v", err)
	}
	return info, sc, timeout, nil
}

// compareReplay compares the replayed run with what the bundle recorded (history digest,
// trace, verdict), says whether it reproduced, and returns the exit code.
func compareReplay(w io.Writer, info bundleInfo, run *runner.Run) (int, error) {
	digest, err := history.Digest(run.History)
	if err != nil {
		return 0, err
	}
	var diffs []string
	if info.Digest != "" && digest != info.Digest {
		diffs = append(diffs, fmt.Sprintf("history digest %s, the bundle recorded %s", digest, info.Digest))
	}
	if run.Result.TraceHash != info.TraceHash {
		diffs = append(diffs, fmt.Sprintf("trace %s, the bundle recorded %s", run.Result.TraceHash, info.TraceHash))
	}
	// A porcupine timeout is wall-clock: an undecided check may decide on another
	// machine, so a verdict differing only that way is not a different run.
	if v := string(run.Result.Verdict); v != info.Verdict && v != "unknown" && info.Verdict != "unknown" {
		diffs = append(diffs, fmt.Sprintf("verdict %s, the bundle recorded %s", v, info.Verdict))
	}
	code := exitCodeFor(run.Result.Verdict)
	if len(diffs) > 0 {
		fmt.Fprintf(w, "NOT REPRODUCED: %s\n", strings.Join(diffs, "; "))
		return worstExit(code, exitViolated), nil
	}
	what := "trace " + info.TraceHash
	if info.Digest != "" {
		what += ", history digest " + info.Digest
	} else {
		what += " (the bundle records no history digest: only the trace hash and verdict were compared)"
	}
	fmt.Fprintf(w, "reproduced: seed %d, %s, verdict %s\n", info.Seed, what, run.Result.Verdict)
	return code, nil
}

// unmet is an expectation that the replayed seed does not meet: its description and the
// exit code it calls for.
type unmet struct {
	text string
	code int
}

// unmetOnSeed evaluates the expectations the bundle was written for (all of the
// scenario's when the bundle names none) over the replayed seed alone, and describes
// each that fails: "expectation max_gap <= 4s not met: 5.02s" (exit 1). A property
// expectation that the seed does not violate but that an undecided check leaves open is
// "undecided" (exit 3), as in a suite.
func unmetOnSeed(sc *scenarios.Scenario, run *runner.Run, info bundleInfo) []unmet {
	want := map[string]bool{}
	for _, e := range info.Expectations {
		want[e.Key] = true
	}
	o := result.OutcomeOf(run.Result)
	var out []unmet
	expect := sc.Expect
	expect.Seeds = 0 // the replayed seed is all there is to judge
	for _, e := range expect.Evaluate([]result.SeedOutcome{o}) {
		if e.Met || (len(want) > 0 && !want[e.Key]) {
			continue
		}
		got := strings.TrimPrefix(e.Got, "worst ")
		if o.Unknown && !o.Violated[e.Key] && slices.Contains(result.Properties, e.Key) {
			out = append(out, unmet{fmt.Sprintf("expectation %s %s undecided: %s", e.Key, e.Want, got), exitUndecided})
			continue
		}
		out = append(out, unmet{fmt.Sprintf("expectation %s %s not met: %s", e.Key, e.Want, got), exitViolated})
	}
	return out
}
