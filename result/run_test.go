package result

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/leasesim/leasesim/checker"
)

func TestSummarize(t *testing.T) {
	p1 := checker.Finding{Kind: checker.P1}
	p2 := checker.Finding{Kind: checker.P2}
	r := ScenarioResult{Scenario: "s", Violations: map[string]int{"p3": 9}, Unknown: 4, MaxGapMaxNs: 99 * sec,
		Runs: []RunResult{
			{Seed: 1, Verdict: checker.Violated, Findings: []checker.Finding{p1, p1, p2}, Metrics: checker.Metrics{UnavailableFraction: 0.1, MaxGapNs: 2 * sec}},
			{Seed: 2, Verdict: checker.Violated, Findings: []checker.Finding{p1}, Metrics: checker.Metrics{UnavailableFraction: 0.3, MaxGapNs: 5 * sec}},
			{Seed: 3, Verdict: checker.Unknown, Metrics: checker.Metrics{UnavailableFraction: 0.2, MaxGapNs: 1 * sec}},
			{Seed: 4, Verdict: checker.Ok},
		}}
	r.Summarize()
	// Two findings of one kind in a seed count that seed once; stale figures are reset.
	if want := map[string]int{"p1": 2, "p2": 1}; !reflect.DeepEqual(r.Violations, want) {
		t.Errorf("violations %v, want %v", r.Violations, want)
	}
	if r.Seeds != 4 || r.Unknown != 1 || r.MaxGapMaxNs != 5*sec {
		t.Errorf("seeds %d unknown %d max gap %d", r.Seeds, r.Unknown, r.MaxGapMaxNs)
	}
	if r.UnavailableP50 != 0.1 || r.UnavailableP99 != 0.3 {
		t.Errorf("p50 %v p99 %v, want 0.1 0.3", r.UnavailableP50, r.UnavailableP99)
	}
}

func TestJSONLinesRoundTrip(t *testing.T) {
	seed := uint64(3)
	in := []ScenarioResult{
		{Scenario: "a", File: "a.yaml", Protocol: "lease", Seeds: 2, Violations: map[string]int{"p1": 1},
			Expectations: []Expectation{{Key: "p1", Want: "holds", Got: "violated by 1/2 seeds", Seed: 3}},
			FailingSeed:  &seed, Reproduce: "leasesim run a.yaml --seed 3"},
		{Scenario: "b", File: "b.yaml", Protocol: "fencing", Mutant: "resource-ignores-tokens", Met: true, Violations: map[string]int{}},
	}
	var b bytes.Buffer
	if err := WriteJSONLines(&b, in); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(b.String(), "\n"); n != 2 {
		t.Fatalf("%d lines, want 2", n)
	}
	// A blank line between objects is allowed.
	text := strings.Replace(b.String(), "\n", "\n\n", 1)
	out, err := ReadJSONLines[ScenarioResult](strings.NewReader(text), "results.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(in, out) {
		t.Errorf("round trip:\n%+v\n%+v", in, out)
	}
}

func TestReadJSONLinesErrors(t *testing.T) {
	for _, c := range []struct {
		name, text, want string
	}{
		{"unknown field", `{"scenario":"a"}` + "\n" + `{"scenario":"b","seeds":1,"colour":"red"}` + "\n", `shard1/results.jsonl:2: json: unknown field "colour"`},
		{"wrong type", `{"scenario":"a","seeds":"many"}`, "shard1/results.jsonl:1: "},
		{"not json", "\n\nscenario: a\n", "shard1/results.jsonl:3: "},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadJSONLines[ScenarioResult](strings.NewReader(c.text), "shard1/results.jsonl")
			if err == nil || !strings.HasPrefix(err.Error(), c.want) {
				t.Errorf("error %v, want one starting %q", err, c.want)
			}
		})
	}
}

// TestReadJSONLinesFile: a file reads like its lines; errors name the path and line,
// and a missing file is fs.ErrNotExist (a directory without it).
func TestReadJSONLinesFile(t *testing.T) {
	dir := t.TempDir()
	good, bad := filepath.Join(dir, "good.jsonl"), filepath.Join(dir, "bad.jsonl")
	os.WriteFile(good, []byte(`{"scenario":"a"}`+"\n"+`{"scenario":"b"}`+"\n"), 0o644)
	os.WriteFile(bad, []byte(`{"scenario":"a"}`+"\n"+`{"colour":"red"}`+"\n"), 0o644)
	if rs, err := ReadJSONLinesFile[ScenarioResult](good); err != nil || len(rs) != 2 || rs[1].Scenario != "b" {
		t.Errorf("good: %+v, %v", rs, err)
	}
	if _, err := ReadJSONLinesFile[ScenarioResult](bad); err == nil || !strings.HasPrefix(err.Error(), bad+":2: ") {
		t.Errorf("bad: %v, want an error naming %s:2", err, bad)
	}
	if _, err := ReadJSONLinesFile[ScenarioResult](filepath.Join(dir, "missing.jsonl")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing: %v, want fs.ErrNotExist", err)
	}
}
