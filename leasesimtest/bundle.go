package leasesimtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"github.com/leasesim/leasesim/result"
	"os"
	"path/filepath"
	"regexp"
	"sort"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/internal/runner"
)

// writeBundle re-runs the failing seed with a transcript and writes its failure bundle
// into out/SCENARIO-seed=N: scenario.yaml (the exact text run, protocol substituted),
// history.jsonl, result.json (verdict, findings, metrics, checks), transcript.txt,
// failure.txt (the message and the replay command) and, with Shrink, minimal.yaml. It is
// a subset of `leasesim suite`'s bundle: the timeline and porcupine visualizations are
// left out.
func writeBundle(out string, e entry, seed uint64, run *runner.Run, f *Failure, replay string) (string, error) {
	dir := filepath.Join(out, safeName(fmt.Sprintf("%s-seed=%d", e.sc.Name, seed)))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	var transcript bytes.Buffer
	rerun, err := runner.RunSeed(e.sc, seed, runner.Options{Trace: &transcript, PorcupineTimeout: 0})
	if err != nil {
		return "", err
	}
	if rerun.Result.TraceHash != run.Result.TraceHash {
		f.Message += fmt.Sprintf("\n(the re-run for the bundle took another trace: %s, then %s — the protocol is not deterministic; try CheckDeterminism)", run.Result.TraceHash, rerun.Result.TraceHash)
	}
	var hb bytes.Buffer
	if err := rerun.History.Write(&hb); err != nil {
		return "", err
	}
	res, err := json.MarshalIndent(struct {
		result.RunResult
		Checks checker.Checks `json:"checks"`
	}{rerun.Result, rerun.Check.Checks}, "", "  ")
	if err != nil {
		return "", err
	}
	files := map[string][]byte{
		"scenario.yaml":  e.data,
		"history.jsonl":  hb.Bytes(),
		"result.json":    append(res, '\n'),
		"transcript.txt": transcript.Bytes(),
	}
	text := f.Message + "\n"
	if replay != "" {
		text += "replay: " + replay + "\n"
	}
	text += fmt.Sprintf("check the history again, with a timeline: leasesim check %s --out %s\n",
		filepath.Join(dir, "history.jsonl"), filepath.Join(dir, "check"))
	files["failure.txt"] = []byte(text)
	if f.Minimal != nil {
		files["minimal.yaml"] = f.Minimal
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if err := os.WriteFile(filepath.Join(dir, n), files[n], 0o644); err != nil {
			return "", err
		}
	}
	return dir, nil
}

var unsafeChars = regexp.MustCompile(`[^A-Za-z0-9._=-]+`)

// safeName turns a test or scenario name into one path element.
func safeName(s string) string { return unsafeChars.ReplaceAllString(s, "_") }

// defaultOut is where bundles go when Out is not given: a directory under os.TempDir()
// named after the test, kept after the test ends (t.TempDir would be removed).
func defaultOut(test string) string {
	return filepath.Join(os.TempDir(), "leasesimtest", safeName(test))
}

func sortStrings(s []string) { sort.Strings(s) }
