package reports

import (
	"fmt"
	"strings"

	"github.com/leasesim/leasesim/result"
)

// BudgetText says which seeds of r ran under a wall-clock budget (suite --for): "seeds
// 1–1,734 of k8s-basic ran within --for 30m (the budget ran out)". It is "" when no
// budget chose r's seeds.
func BudgetText(r result.ScenarioResult) string {
	if r.Budget == nil {
		return ""
	}
	return budgetText(*r.Budget, r.Scenario)
}

// BudgetLines says which seeds ran under a budget, one line per range of seeds, the
// scenarios that ran the same seeds together (in the order given): "seeds 1–12 of a and
// b ran within --for 30m (the budget ran out)".
func BudgetLines(rs []result.ScenarioResult) []string {
	var keys []string
	names := map[string][]string{}
	budgets := map[string]result.SeedBudget{}
	for _, r := range rs {
		if r.Budget == nil {
			continue
		}
		k := budgetText(*r.Budget, "\x00")
		if _, ok := names[k]; !ok {
			keys = append(keys, k)
			budgets[k] = *r.Budget
		}
		names[k] = append(names[k], r.Scenario)
	}
	var out []string
	for _, k := range keys {
		out = append(out, budgetText(budgets[k], andList(names[k])))
	}
	return out
}

func budgetText(b result.SeedBudget, scenario string) string {
	var s string
	if b.LastSeed == nil {
		s = fmt.Sprintf("no seed of %s ran within --for %s", scenario, b.For)
	} else {
		s = fmt.Sprintf("seeds %s–%s of %s ran within --for %s", result.Thousands(b.FirstSeed), result.Thousands(*b.LastSeed), scenario, b.For)
	}
	switch b.StoppedBy {
	case result.StoppedByBudget:
		s += " (the budget ran out)"
	case result.StoppedBySeeds:
		s += " (all of --seeds, before the budget ran out)"
	}
	if b.Discarded > 0 {
		s += fmt.Sprintf("; %s after a seed that did not run discarded (an internal error: please report it)", Count(b.Discarded, "later run"))
	}
	return s
}

// andList is "a", "a and b", "a, b and c".
func andList(xs []string) string {
	if len(xs) <= 1 {
		return strings.Join(xs, "")
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}
