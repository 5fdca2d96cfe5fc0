package reports

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/leasesim/leasesim/result"
)

func budgetResult(name string, first, last uint64, none bool, by string) result.ScenarioResult {
	b := &result.SeedBudget{ForNs: 18e11, For: "30m", FirstSeed: first, StoppedBy: by}
	if !none {
		b.LastSeed = &last
	}
	return result.ScenarioResult{Scenario: name, Budget: b, Met: true}
}

func TestBudgetLines(t *testing.T) {
	rs := []result.ScenarioResult{
		budgetResult("a", 1, 1734, false, result.StoppedByBudget),
		budgetResult("b", 1, 1733, false, result.StoppedByBudget),
		budgetResult("c", 1, 1734, false, result.StoppedByBudget),
		budgetResult("d", 5, 0, true, result.StoppedByBudget),
		budgetResult("e", 1, 10, false, result.StoppedBySeeds),
		{Scenario: "plain", Met: true},
	}
	want := []string{
		"seeds 1–1,734 of a and c ran within --for 30m (the budget ran out)",
		"seeds 1–1,733 of b ran within --for 30m (the budget ran out)",
		"no seed of d ran within --for 30m (the budget ran out)",
		"seeds 1–10 of e ran within --for 30m (all of --seeds, before the budget ran out)",
	}
	if got := BudgetLines(rs); !reflect.DeepEqual(got, want) {
		t.Errorf("BudgetLines:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	d := budgetResult("x", 1, 2, false, result.StoppedByBudget)
	d.Budget.Discarded = 3
	if got := BudgetText(d); !strings.Contains(got, "3 later runs after a seed that did not run discarded") {
		t.Errorf("BudgetText with discarded runs: %q", got)
	}
	// Seeds are uint64 and may lie above the largest int: written in full, separated.
	if got := BudgetText(budgetResult("big", 1<<63, 1<<63+1233, false, result.StoppedByBudget)); !strings.HasPrefix(got, "seeds 9,223,372,036,854,775,808–9,223,372,036,854,777,041 of big") {
		t.Errorf("BudgetText with seeds above the largest int: %q", got)
	}
	if BudgetText(rs[5]) != "" {
		t.Error("a result without a budget has budget text")
	}
	// The table, the JUnit file and the HTML report each say it.
	var tb, jb, hb bytes.Buffer
	if err := WriteSuiteTable(&tb, rs[:1]); err != nil {
		t.Fatal(err)
	}
	if err := WriteJUnit(&jb, JUnitSuite{Name: "s", Results: rs[:1]}); err != nil {
		t.Fatal(err)
	}
	if err := WriteHTML(&hb, Report{Title: "t", Suite: rs[:1]}); err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string]*bytes.Buffer{"table": &tb, "junit": &jb, "html": &hb} {
		if !strings.Contains(b.String(), "seeds 1–1,734 of a ran within --for 30m") {
			t.Errorf("%s does not name the seeds that ran:\n%s", name, b)
		}
	}
}
