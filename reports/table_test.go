package reports

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/result"
)

func TestWriteSuiteTable(t *testing.T) {
	var b bytes.Buffer
	if err := WriteSuiteTable(&b, threeScenarios()); err != nil {
		t.Fatal(err)
	}
	golden(t, "suite-table.txt", b.Bytes())
	if !strings.HasSuffix(b.String(), "3 scenarios: 1 met, 2 not met\n") {
		t.Errorf("last line: %q", b.String())
	}
}

// TestSuiteTableCounts: the table's counts have thousands separators, as the rates'
// "0 of 1,000 seeds" do: the seeds, the violating seeds per property, the unknown ones.
func TestSuiteTableCounts(t *testing.T) {
	r := result.ScenarioResult{Scenario: "big", Protocol: "lease", Seeds: 12345, Violations: map[string]int{"p1": 1234}, Unknown: 1001, Met: true}
	var b bytes.Buffer
	if err := WriteSuiteTable(&b, []result.ScenarioResult{r}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "12,345  p1:1,234 unknown:1,001") {
		t.Errorf("the table's counts are not separated:\n%s", b.String())
	}
}

// undecidedScenario wants a violation its 5 seeds (of the file's 100) did not show.
func undecidedScenario() result.ScenarioResult {
	r := result.ScenarioResult{Scenario: "rare", File: "rare.yaml", Protocol: "k8s", DurationNs: int64(5 * time.Minute)}
	for s := uint64(1); s <= 5; s++ {
		r.Runs = append(r.Runs, result.RunResult{Scenario: "rare", Seed: s, Verdict: checker.Ok})
	}
	r.Evaluate(result.Expect{Properties: map[string]string{"p1": result.PropViolated}, Seeds: 100})
	return r
}

// TestSuiteTableUndecided: a scenario that too few seeds cannot decide is "undecided",
// not NOT MET, with what would decide it and the rate of each property.
func TestSuiteTableUndecided(t *testing.T) {
	var b bytes.Buffer
	if err := WriteSuiteTable(&b, []result.ScenarioResult{undecidedScenario()}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"≤ 46% each",
		"undecided\n",
		"rare (rare.yaml): undecided\n",
		"  expect p1: violated, undecided: violated by 0/5 seeds; the scenario's own 100 seeds decide it (suite without --seeds or --for, or --seeds 100)\n",
		"  rate: 0 of 5 seeds: p1 ≤ 46% per run at 95%, ≤ 7.2 per simulated hour\n",
		"1 scenario: 0 met, 0 not met, 1 undecided\n",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, b.String())
		}
	}
	if strings.Contains(b.String(), "NOT MET") {
		t.Errorf("an undecided scenario shows as NOT MET:\n%s", b.String())
	}
}
