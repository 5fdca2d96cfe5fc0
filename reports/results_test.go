package reports

import (
	"bytes"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/leasesim/leasesim/checker"
)

func TestPercentile(t *testing.T) {
	hundred := make([]float64, 100)
	for i := range hundred {
		hundred[i] = float64(100 - i) // 100..1, unsorted
	}
	for _, c := range []struct {
		xs   []float64
		p    float64
		want float64
	}{
		{nil, 50, 0},
		{[]float64{5}, 0, 5},
		{[]float64{5}, 99, 5},
		{[]float64{3, 1, 2}, 50, 2},
		{[]float64{1, 2}, 50, 1}, // nearest rank: ⌈0.5·2⌉ = 1st
		{[]float64{1, 2}, 51, 2},
		{hundred, 0, 1},
		{hundred, 5, 5},
		{hundred, 7, 7}, // 0.07·100 is 7.000000000000001 in floating point
		{hundred, 29, 29},
		{hundred, 50, 50},
		{hundred, 99, 99},
		{hundred, 100, 100},
	} {
		before := slices.Clone(c.xs)
		if got := Percentile(c.xs, c.p); got != c.want {
			t.Errorf("Percentile(%v…, %v) = %v, want %v", c.xs[:min(len(c.xs), 3)], c.p, got, c.want)
		}
		if !slices.Equal(before, c.xs) {
			t.Errorf("Percentile reordered its input")
		}
	}
}

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
