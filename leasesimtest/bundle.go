package leasesimtest

import (
	"bytes"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"

	"github.com/leasesim/leasesim/internal/rundir"
	"github.com/leasesim/leasesim/internal/runner"
)

// writeBundle re-runs the failing seed with a transcript and writes its failure bundle
// into out/SCENARIO-seed=N: scenario.yaml (the exact text run, protocol substituted),
// the run's directory as `leasesim run --out` writes it (result.json, history.jsonl,
// transcript.txt, the timelines, porcupine's and the space-time views of the findings),
// failure.txt (the message and the replay command) and, with Shrink, minimal.yaml.
func writeBundle(out string, e entry, seed uint64, run *runner.Run, f *Failure, replay string) (string, error) {
	dir := filepath.Join(out, safeName(fmt.Sprintf("%s-seed=%d", e.sc.Name, seed)))
	var transcript bytes.Buffer
	rerun, err := runner.RunSeed(e.sc, seed, runner.Options{Trace: &transcript, RecordMessages: true})
	if err != nil {
		return "", err
	}
	if rerun.Result.TraceHash != run.Result.TraceHash {
		f.Message += fmt.Sprintf("\n(the re-run for the bundle took another trace: %s, then %s — the protocol is not deterministic; try CheckDeterminism)", run.Result.TraceHash, rerun.Result.TraceHash)
	}
	if err := rundir.Write(dir, rerun.History, rerun.Result, rerun.Check, rundir.Options{Transcript: transcript.Bytes()}); err != nil {
		return "", err
	}
	text := f.Message + "\n"
	if replay != "" {
		text += "replay: " + replay + "\n"
	}
	text += fmt.Sprintf("check the history again, with a timeline: leasesim check %s --out %s\n",
		filepath.Join(dir, "history.jsonl"), filepath.Join(dir, "check"))
	files := map[string][]byte{"scenario.yaml": e.data, "failure.txt": []byte(text)}
	if f.Minimal != nil {
		files["minimal.yaml"] = f.Minimal
	}
	for _, n := range slices.Sorted(maps.Keys(files)) {
		if err := rundir.WriteFile(filepath.Join(dir, n), files[n]); err != nil {
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
