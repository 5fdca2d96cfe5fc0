package suitedir

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leasesim/leasesim/internal/load"
	"github.com/leasesim/leasesim/internal/outdir"
	"github.com/leasesim/leasesim/internal/runner"
	_ "github.com/leasesim/leasesim/model/all"
	"github.com/leasesim/leasesim/result"
	"github.com/leasesim/leasesim/scenarios"
	"github.com/leasesim/leasesim/scenarios/catalog"
)

func source(t *testing.T, name string) load.Source {
	t.Helper()
	data, err := catalog.Read(name + ".yaml")
	if err != nil {
		t.Fatal(err)
	}
	sc, err := scenarios.Parse(data, catalog.Prefix+name+".yaml")
	if err != nil {
		t.Fatal(err)
	}
	return load.Source{Scenario: sc, File: catalog.Prefix + name + ".yaml", Data: data}
}

// TestWriteResults: results.jsonl holds one line per scenario, runs.jsonl one per run
// of every scenario, and both read back; no result leaves both empty.
func TestWriteResults(t *testing.T) {
	dir := t.TempDir()
	rs := []result.ScenarioResult{
		{Scenario: "a", Runs: []result.RunResult{{Scenario: "a", Seed: 1}, {Scenario: "a", Seed: 2}}},
		{Scenario: "b", Runs: []result.RunResult{{Scenario: "b", Seed: 7}}},
	}
	for _, c := range []struct {
		rs         []result.ScenarioResult
		scens, run int
	}{{rs, 2, 3}, {nil, 0, 0}} {
		if err := WriteResults(dir, c.rs); err != nil {
			t.Fatal(err)
		}
		got := readLines[result.ScenarioResult](t, filepath.Join(dir, "results.jsonl"))
		runs := readLines[result.RunResult](t, filepath.Join(dir, "runs.jsonl"))
		if len(got) != c.scens || len(runs) != c.run {
			t.Errorf("%d results, %d runs; want %d and %d", len(got), len(runs), c.scens, c.run)
		}
		if c.run == 3 && (runs[2].Scenario != "b" || runs[2].Seed != 7) {
			t.Errorf("the last run %+v, want b's seed 7", runs[2])
		}
	}
}

func readLines[T any](t *testing.T, path string) []T {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	xs, err := result.ReadJSONLines[T](f, path)
	if err != nil {
		t.Fatal(err)
	}
	return xs
}

// TestBundles: a failing scenario gets a bundle and a replay command, a panicking one
// its first panicking seed's bundle and the command in its error; without a directory
// only the run command is set, and a met scenario gets nothing.
func TestBundles(t *testing.T) {
	src := source(t, "mutant-lease-no-guard")
	seed := uint64(1)
	failed := result.ScenarioResult{Scenario: src.Scenario.Name, File: src.File, FailingSeed: &seed,
		Expectations: []result.Expectation{{Key: "p1", Want: result.PropHolds}, {Key: "p2", Met: true}}}
	met := result.ScenarioResult{Scenario: "met", File: "met.yaml", Met: true}
	dir := filepath.Join(t.TempDir(), "failures")
	b := Bundles{Dir: dir, Sources: []load.Source{src}}
	rs, err := b.Write([]result.ScenarioResult{failed, met})
	if err != nil {
		t.Fatal(err)
	}
	if want := "leasesim replay " + filepath.Join(dir, src.Scenario.Name); rs[0].Reproduce != want || rs[0].Bundle == "" {
		t.Errorf("failed: reproduce %q, bundle %q; want %q", rs[0].Reproduce, rs[0].Bundle, want)
	}
	if _, err := os.Stat(filepath.Join(dir, src.Scenario.Name, "bundle.json")); err != nil {
		t.Errorf("no bundle written: %v", err)
	}
	if rs[1].Reproduce != "" || rs[1].Bundle != "" {
		t.Errorf("met: reproduce %q, bundle %q; want neither", rs[1].Reproduce, rs[1].Bundle)
	}
	failed.Reproduce, failed.Bundle = "", ""
	rs, _ = Bundles{Sources: []load.Source{src}}.Write([]result.ScenarioResult{failed})
	if want := "leasesim run " + src.File + " --seed 1"; rs[0].Reproduce != want || rs[0].Bundle != "" {
		t.Errorf("without a directory: reproduce %q, bundle %q; want %q", rs[0].Reproduce, rs[0].Bundle, want)
	}
	panicked := result.ScenarioResult{Scenario: src.Scenario.Name, File: src.File, FailingSeed: &seed, Error: "internal error"}
	b = Bundles{Dir: filepath.Join(t.TempDir(), "failures"), Sources: []load.Source{src}, Panics: runner.Panics{0: {{Scenario: src.Scenario.Name, Seed: 2, Value: "boom"}}}}
	rs, err = b.Write([]result.ScenarioResult{panicked})
	if err != nil || !strings.HasSuffix(rs[0].Error, "; replay: leasesim replay "+filepath.Join(b.Dir, src.Scenario.Name)) {
		t.Errorf("panicked: error %q (%v); want the replay command appended", rs[0].Error, err)
	}
}

// TestFailureSections: each bundle becomes a section with its timeline inlined and its
// files linked relative to the report's directory; a directory that is no bundle is
// skipped, and a results directory without failures/ has none.
func TestFailureSections(t *testing.T) {
	dir := t.TempDir()
	if secs, err := FailureSections(dir, dir); err != nil || len(secs) != 0 {
		t.Errorf("no failures/: %v, %v", secs, err)
	}
	src := source(t, "mutant-lease-no-guard")
	if _, err := bundleOf(filepath.Join(dir, "failures"), src); err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(dir, "failures", "not-a-bundle"), 0o755)
	out := filepath.Join(dir, "report")
	secs, err := FailureSections(dir, out)
	if err != nil || len(secs) != 1 {
		t.Fatalf("sections %+v, %v; want one", secs, err)
	}
	s := secs[0]
	if s.Scenario != src.Scenario.Name || s.Seed != 1 || len(s.TimelineSVG) == 0 || !strings.HasPrefix(s.Replay, "leasesim replay ") {
		t.Errorf("section: scenario %q seed %d, %d bytes of timeline, replay %q", s.Scenario, s.Seed, len(s.TimelineSVG), s.Replay)
	}
	hrefs := map[string]string{}
	for _, l := range s.Links {
		hrefs[l.Name] = l.Href
	}
	if hrefs["scenario.yaml"] != "../failures/"+src.Scenario.Name+"/scenario.yaml" || hrefs["history.jsonl"] == "" || hrefs["bundle.json"] != "" {
		t.Errorf("links %v: want scenario.yaml and history.jsonl relative to the report, not bundle.json", hrefs)
	}
}

func bundleOf(failures string, src load.Source) (string, error) {
	seed := uint64(1)
	rs, err := Bundles{Dir: failures, Sources: []load.Source{src}}.Write([]result.ScenarioResult{{Scenario: src.Scenario.Name, File: src.File, FailingSeed: &seed}})
	return rs[0].Bundle, err
}

// TestPrepare: an older suite's results, report and bundles are gone from a prepared
// directory, so that none can pass for the new run's.
func TestPrepare(t *testing.T) {
	dir := t.TempDir()
	old := []result.ScenarioResult{{Scenario: "old", Runs: []result.RunResult{{Scenario: "old", Seed: 1}}}}
	if err := WriteResults(dir, old); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "report.html"), []byte("old"), 0o644)
	os.MkdirAll(filepath.Join(dir, "failures", "old"), 0o755)
	d, err := outdir.Prepare("--out", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Release()
	failures, err := Prepare(d, dir)
	if err != nil || failures != filepath.Join(dir, "failures") {
		t.Fatalf("Prepare: %q, %v", failures, err)
	}
	if rs := readLines[result.ScenarioResult](t, filepath.Join(dir, "results.jsonl")); len(rs) != 0 {
		t.Errorf("results.jsonl still holds %d results", len(rs))
	}
	if runs := readLines[result.RunResult](t, filepath.Join(dir, "runs.jsonl")); len(runs) != 0 {
		t.Errorf("runs.jsonl still holds %d runs", len(runs))
	}
	if _, err := os.Stat(filepath.Join(dir, "report.html")); err == nil {
		t.Error("the old report.html is still there")
	}
	if es, _ := os.ReadDir(failures); len(es) != 0 {
		t.Errorf("failures/ still holds %d entries", len(es))
	}
}

// TestBundlesSwarm: a suite run with --swarm marks each result (so that report's merge of
// shards can say --swarm too) and its reproduce command carries the flag.
func TestBundlesSwarm(t *testing.T) {
	seed := uint64(4)
	rs := []result.ScenarioResult{{Scenario: "s", File: "s.yaml", FailingSeed: &seed}, {Scenario: "t", File: "t.yaml", Met: true}}
	got, err := Bundles{Swarm: true, Panics: runner.Panics{}}.Write(rs)
	if err != nil {
		t.Fatal(err)
	}
	if !got[0].Swarm || !got[1].Swarm || got[0].Reproduce != "leasesim run s.yaml --seed 4 --swarm" {
		t.Errorf("swarm %v %v, reproduce %q; want both marked and the flag in the command", got[0].Swarm, got[1].Swarm, got[0].Reproduce)
	}
}
