package bundle

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/history"
	"github.com/leasesim/leasesim/internal/runner"
	"github.com/leasesim/leasesim/result"
	"github.com/leasesim/leasesim/scenarios"
)

// Dir is the bundle directory path names: path itself, or the directory of a file in it
// (its bundle.json, say).
func Dir(path string) string {
	if st, err := os.Stat(path); err == nil && !st.IsDir() {
		return filepath.Dir(path)
	}
	return path
}

// ReadInfo reads the bundle.json of the bundle at path (see Dir).
func ReadInfo(path string) (Info, error) {
	var info Info
	file := filepath.Join(Dir(path), "bundle.json")
	raw, err := os.ReadFile(file)
	if err != nil {
		return info, fmt.Errorf("%s is not a failure bundle: %w", path, err)
	}
	if err := json.Unmarshal(raw, &info); err != nil {
		return info, fmt.Errorf("%s: %w", file, err)
	}
	return info, nil
}

// Read reads the failure bundle at path (see Dir): what it recorded, its scenario, and
// the porcupine timeout it was checked with. Every error is the bundle's.
func Read(path string) (Info, *scenarios.Scenario, time.Duration, error) {
	info, err := ReadInfo(path)
	if err != nil {
		return info, nil, 0, err
	}
	dir := Dir(path)
	var timeout time.Duration
	if info.PorcupineTimeout != "" {
		if timeout, err = time.ParseDuration(info.PorcupineTimeout); err != nil {
			return info, nil, 0, fmt.Errorf("%s: porcupine_timeout %q: expected a duration like 10s", filepath.Join(dir, "bundle.json"), info.PorcupineTimeout)
		}
	}
	data, err := os.ReadFile(filepath.Join(dir, "scenario.yaml"))
	if err != nil {
		return info, nil, 0, fmt.Errorf("bundle %s has no scenario.yaml: %w", dir, err)
	}
	sc, err := scenarios.Parse(data, filepath.Join(dir, "scenario.yaml"))
	if err != nil {
		return info, nil, 0, err
	}
	return info, sc, timeout, nil
}

// Compare says how a replayed run differs from what the bundle recorded: its history
// digest, its trace hash and its verdict (a verdict differing only by an undecided check
// is no difference: a porcupine timeout is wall-clock). None: it reproduced.
func Compare(info Info, run *runner.Run) ([]string, error) {
	digest, err := history.Digest(run.History)
	if err != nil {
		return nil, err
	}
	var diffs []string
	if info.Digest != "" && digest != info.Digest {
		diffs = append(diffs, fmt.Sprintf("history digest %s, the bundle recorded %s", digest, info.Digest))
	}
	if run.Result.TraceHash != info.TraceHash {
		diffs = append(diffs, fmt.Sprintf("trace %s, the bundle recorded %s", run.Result.TraceHash, info.TraceHash))
	}
	unknown := string(checker.Unknown)
	if v := string(run.Result.Verdict); v != info.Verdict && v != unknown && info.Verdict != unknown {
		diffs = append(diffs, fmt.Sprintf("verdict %s, the bundle recorded %s", v, info.Verdict))
	}
	return diffs, nil
}

// Unmet is an expectation the replayed seed does not meet, in words.
type Unmet struct {
	Text string
	// Undecided: the seed does not violate the property, but an undecided check leaves
	// it open (exit 3 in a suite, not 1).
	Undecided bool
}

// UnmetOnSeed evaluates the expectations the bundle was written for (all of the
// scenario's when it names none) over the replayed seed alone, and describes each that
// fails: "expectation max_gap <= 4s not met: 5.02s", or "... undecided: ..." for a
// property an undecided check leaves open.
func UnmetOnSeed(sc *scenarios.Scenario, run *runner.Run, info Info) []Unmet {
	want := map[string]bool{}
	for _, e := range info.Expectations {
		want[e.Key] = true
	}
	o := result.OutcomeOf(run.Result)
	var out []Unmet
	expect := sc.Expect
	expect.Seeds = 0 // the replayed seed is all there is to judge
	for _, e := range expect.Evaluate([]result.SeedOutcome{o}) {
		if e.Met || (len(want) > 0 && !want[e.Key]) {
			continue
		}
		got := strings.TrimPrefix(e.Got, "worst ")
		if o.Unknown && !o.Violated[e.Key] && slices.Contains(result.Properties, e.Key) {
			out = append(out, Unmet{fmt.Sprintf("expectation %s %s undecided: %s", e.Key, e.Want, got), true})
			continue
		}
		out = append(out, Unmet{fmt.Sprintf("expectation %s %s not met: %s", e.Key, e.Want, got), false})
	}
	return out
}
