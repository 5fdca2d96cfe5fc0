package explorerun

import (
	"bytes"
	"strings"
	"testing"

	"github.com/leasesim/leasesim/explore"
)

// TestPrint: each kind of answer the search gives is printed as the sentences people
// read, and --json as one compact object.
func TestPrint(t *testing.T) {
	found := explore.Summary{Scenario: "s", Found: true, Kinds: []string{"P1"}, Explored: 3, FirstFindingMsg: "two holders",
		ShrinkRuns: 1, FaultsBefore: 4, FaultsAfter: 1, DurationBefore: "2m0s", DurationAfter: "10s", Minimal: "out/minimal.yaml", Reproduce: "leasesim run out/minimal.yaml"}
	for _, c := range []struct {
		name   string
		sum    explore.Summary
		asJSON bool
		want   string
	}{
		{"found", found, false, "s: found P1 after 3 schedules: two holders\nshrunk in 1 run: faults 4 -> 1, duration 2m0s -> 10s\nminimal scenario: out/minimal.yaml\nreproduce: leasesim run out/minimal.yaml\n"},
		{"none", explore.Summary{Scenario: "s", Explored: 1}, false, "s: no finding in 1 schedule\n"},
		{"none within --for", explore.Summary{Scenario: "s", Explored: 5, Seed: 2, For: "1m", BudgetSpent: true}, false,
			"s: no finding in schedules 1–5 of search seed 2, which ran within --for 1m (the budget ran out); --budget 5 --seed 2 tries the same ones\n"},
		// Counts thousands separated, the command's number as typed.
		{"many within --for", explore.Summary{Scenario: "s", Explored: 1932, Seed: 1, For: "3s", BudgetSpent: true}, false,
			"s: no finding in schedules 1–1,932 of search seed 1, which ran within --for 3s (the budget ran out); --budget 1932 --seed 1 tries the same ones\n"},
		{"found many", explore.Summary{Scenario: "s", Found: true, Kinds: []string{"p1"}, Explored: 1932, FirstFindingMsg: "x", ShrinkRuns: 5011, FaultsBefore: 9, FaultsAfter: 1},
			false, "s: found p1 after 1,932 schedules: x\nshrunk in 5,011 runs: faults 9 -> 1"},
		{"nothing within --for", explore.Summary{Scenario: "s", For: "1s"}, false, "s: no schedule ran within --for 1s (the budget ran out before the first)\n"},
		{"json", explore.Summary{Scenario: "s", Explored: 1}, true, `{"scenario":"s",`},
	} {
		var b bytes.Buffer
		Print(&b, c.sum, c.asJSON)
		if got := b.String(); !strings.HasPrefix(got, c.want) || c.asJSON && (strings.Count(got, "\n") != 1 || strings.Contains(got, " ")) {
			t.Errorf("%s: printed\n%q\nwant\n%q", c.name, got, c.want)
		}
	}
}
