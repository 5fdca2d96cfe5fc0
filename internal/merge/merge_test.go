package merge

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leasesim/leasesim/checker"
	_ "github.com/leasesim/leasesim/model/all" // the protocols scenario files name
	"github.com/leasesim/leasesim/reports"
	"github.com/leasesim/leasesim/result"
)

// mergeScenario is a small scenario file whose only expectation is that p1 holds.
const mergeScenario = `name: merge-me
protocol: lease
holders: [A, B, C]
resource: true
params: {lease: 5s, renew: 1s, guard: 250ms}
duration: 10s
seeds: 4
expect:
  p1: holds
`

// TestSuiteReadsTheScenarioFile: report evaluates a scenario merged from two shards
// again with the expectations of its scenario file (result.MergeSuite tests the merge
// itself), and says so when the file is gone.
func TestSuiteReadsTheScenarioFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "merge-me.yaml")
	if err := os.WriteFile(file, []byte(mergeScenario), 0o644); err != nil {
		t.Fatal(err)
	}
	shard := result.ScenarioResult{Scenario: "merge-me", File: file, Protocol: "lease", Seeds: 2, Met: true}
	runs := []result.RunResult{{Scenario: "merge-me", Seed: 1, Verdict: checker.Ok},
		{Scenario: "merge-me", Seed: 2, Verdict: checker.Violated, Findings: []checker.Finding{{Kind: checker.P1}}}}
	m := Suite([]result.ScenarioResult{shard, shard}, runs)[0]
	want := "leasesim run " + file + " --seed 2"
	if m.Met || m.Error != "" || m.FailingSeed == nil || *m.FailingSeed != 2 || m.Reproduce != want {
		t.Errorf("merged: met %v, error %q, failing seed %v, reproduce %q; want p1: holds unmet by seed 2, %q", m.Met, m.Error, m.FailingSeed, m.Reproduce, want)
	}
	shard.File = filepath.Join(t.TempDir(), "gone.yaml")
	if m := Suite([]result.ScenarioResult{shard, shard}, runs)[0]; m.Met || m.Error == "" {
		t.Errorf("merged without its scenario file: met %v, error %q", m.Met, m.Error)
	}
}

// TestReportLeavesOutStaleFailures: a shard's failure bundle of a scenario that the
// merged counts meet is not in the merged report; one of a scenario still unmet is.
func TestReportLeavesOutStaleFailures(t *testing.T) {
	in := Inputs{
		scenarios: []result.ScenarioResult{{Scenario: "overturned", File: "o.yaml", Met: true, Seeds: 8},
			{Scenario: "broken", File: "b.yaml", Met: false, Seeds: 8}},
		failures: []reports.FailureSection{{Scenario: "overturned", Seed: 3}, {Scenario: "broken", Seed: 5}},
	}
	rep := in.Report("t", nil)
	if len(rep.Failures) != 1 || rep.Failures[0].Scenario != "broken" {
		t.Errorf("failures %+v, want broken's only", rep.Failures)
	}
}

// TestRead: a suite and a sweep directory merge into one report, the sweep's points
// under its scenario; a path that is no directory, or a directory with neither
// results.jsonl nor points.jsonl, is an error naming it.
func TestRead(t *testing.T) {
	suite, swept, empty := t.TempDir(), t.TempDir(), t.TempDir()
	write := func(path, text string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(suite, "results.jsonl"), `{"scenario":"s","file":"s.yaml","met":true,"seeds":1}`+"\n")
	write(filepath.Join(suite, "runs.jsonl"), "")
	write(filepath.Join(swept, "points.jsonl"), `{"scenario":"w","set":{"lease":"1s"},"seeds":2}`+"\n")
	write(filepath.Join(swept, "sweep.json"), `{"scenario":"w","params":["lease"],"command":"leasesim sweep w"}`+"\n")
	var in Inputs
	for _, dir := range []string{suite, swept} {
		if err := in.Read(dir, t.TempDir()); err != nil {
			t.Fatal(err)
		}
	}
	rep := in.Report("t", []string{suite, swept})
	if len(rep.Suite) != 1 || rep.Suite[0].Scenario != "s" || len(rep.Sweeps) != 1 || rep.Sweeps[0].Scenario != "w" ||
		len(rep.Sweeps[0].Points) != 1 || rep.Sweeps[0].Command != "leasesim sweep w" {
		t.Errorf("report: suite %+v, sweeps %+v", rep.Suite, rep.Sweeps)
	}
	for _, c := range []struct{ dir, want string }{
		{filepath.Join(suite, "results.jsonl"), "not a results directory"},
		{empty, "holds neither results.jsonl (suite) nor points.jsonl (sweep)"},
	} {
		if err := new(Inputs).Read(c.dir, empty); err == nil || !strings.Contains(err.Error(), c.dir) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Read(%s): %v; want %q", c.dir, err, c.want)
		}
	}
}
