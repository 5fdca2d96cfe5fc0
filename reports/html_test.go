package reports

import (
	"bytes"
	"strings"
	"testing"

	"github.com/leasesim/leasesim/result"
)

func TestWriteHTML(t *testing.T) {
	pts := []result.SweepPoint{
		result.NewSweepPoint("s", map[string]string{"lease": "1s"}, []result.SeedSample{{Unavailable: 0.02}, {Unavailable: 0.04}}),
		result.NewSweepPoint("s", map[string]string{"lease": "10s"}, []result.SeedSample{{Unavailable: 0.05, Violated: []string{"p1"}}}),
	}
	r := Report{Title: "t<itle>",
		Suite: []result.ScenarioResult{{Scenario: "a-scenario", Protocol: "lease", Seeds: 3, Met: false,
			Expectations: []result.Expectation{{Key: "p1", Want: "holds", Got: "violated by 1/3 seeds", Seed: 2}}, Reproduce: "leasesim run x --seed 2"}},
		Sweeps:   []SweepSection{{Scenario: "s", Params: []string{"lease"}, Points: pts, Command: "leasesim sweep s --set lease=1s,10s"}},
		Failures: []FailureSection{{Scenario: "a-scenario", Seed: 2, Replay: "leasesim replay dir", Links: []Link{{Name: "history.jsonl", Href: "../x/history.jsonl"}}}},
	}
	var b bytes.Buffer
	if err := WriteHTML(&b, r); err != nil {
		t.Fatal(err)
	}
	s := b.String()
	for _, want := range []string{"t&lt;itle&gt;", `class="unmet"`, "a-scenario",
		"1 scenario, 0 with every expectation met, 1 not met.", "leasesim run x --seed 2", "leasesim sweep s --set lease=1s,10s",
		`href="../x/history.jsonl"`, "leasesim replay dir",
		// The sweep table's rate bound (0 of 2 seeds: at most 1−√0.05 = 77.64%, rounded
		// up to two significant digits as every printed bound; "77.639%" before, below
		// the bound) and the plot's band.
		"rate ≤ (95%)", "<td>78%</td>", "Clopper–Pearson bounds, each one-sided at 95%"} {
		if !strings.Contains(s, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if n := strings.Count(s, "<svg"); n != 2 {
		t.Errorf("%d inline SVG plots, want 2 (unavailability and violations)", n)
	}
	if strings.Contains(s, "<?xml") || strings.Contains(s, "<script") {
		t.Error("report has an XML declaration inside HTML or a script")
	}
	// result.NewSweepPoint aggregated the seeds.
	if pts[0].UnavailMean != 0.03 || pts[1].Violations["p1"] != 1 || pts[1].ViolatingSeeds != 1 {
		t.Errorf("aggregation: %+v %+v", pts[0], pts[1])
	}
}

// TestWriteHTMLErrors: a scenario that did not run shows its error and "unknown" for its
// counts; one that ran but whose expectations could not be evaluated again keeps its
// measured counts beside its error.
func TestWriteHTMLErrors(t *testing.T) {
	r := Report{Title: "t", Suite: []result.ScenarioResult{
		{Scenario: "bad-input", Protocol: "lease", Error: "bad.yaml:1:1: no protocol"},
		{Scenario: "moved", Protocol: "lease", Seeds: 8, Violations: map[string]int{"p1": 2}, UnavailableP50: 0.5,
			Error: "cannot evaluate the merged expectations: moved.yaml: no such file"},
	}}
	var b bytes.Buffer
	if err := WriteHTML(&b, r); err != nil {
		t.Fatal(err)
	}
	s := b.String()
	for _, want := range []string{
		`<td>bad-input</td><td>lease</td><td>unknown</td><td>unknown</td><td class="rates">unknown<br></td><td>unknown</td><td>unknown</td><td>unknown</td>`,
		"error: bad.yaml:1:1: no protocol",
		`<td>moved</td><td>lease</td><td>8</td><td>p1:2</td><td class="rates"></td><td>50.000%</td>`,
		"error: cannot evaluate the merged expectations: moved.yaml: no such file",
		"2 scenarios, 0 with every expectation met, 2 with an error.",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("report lacks %q", want)
		}
	}
}
