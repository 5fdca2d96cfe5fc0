package sweep

import (
	"bytes"
	"strings"
	"testing"

	"github.com/leasesim/leasesim/internal/exit"
	"github.com/leasesim/leasesim/scenarios"
)

// TestEnded: how a sweep that did not end with its outputs says so, and its exit code.
func TestEnded(t *testing.T) {
	for _, c := range []struct {
		name    string
		res     Result
		forText string
		want    int
		say     string
	}{
		{"done", Result{Computed: 2}, "", exit.OK, ""},
		{"reused", Result{Computed: 1, Reused: 2}, "", exit.OK, "2 points reused from d/points.jsonl, 1 computed"},
		{"interrupted", Result{Interrupted: true, Records: make([]Record, 1), Points: make([]Point, 3)}, "", exit.Interrupted, "1 of 3 points are in d/points.jsonl"},
		// Counts thousands separated, as the suite's, and "1 point" in the singular.
		{"reused many", Result{Computed: 1500, Reused: 1}, "", exit.OK, "1 point reused from d/points.jsonl, 1,500 computed"},
		{"interrupted many", Result{Interrupted: true, Records: make([]Record, 1200), Points: make([]Point, 3000)}, "", exit.Interrupted, "1,200 of 3,000 points are in d/points.jsonl"},
		{"interrupted under --for", Result{Interrupted: true}, "1m", exit.Interrupted, "none were written"},
		{"no seed within --for", Result{}, "1m", exit.Undecided, "no seed ran within --for 1m"},
	} {
		var b bytes.Buffer
		if got := c.res.Ended(&b, "d", c.forText); got != c.want || !strings.Contains(b.String(), c.say) || c.say == "" && b.Len() > 0 {
			t.Errorf("%s: exit %d, said %q; want %d, %q", c.name, got, b.String(), c.want, c.say)
		}
	}
}

func TestBudgetLine(t *testing.T) {
	r := Result{Ran: scenarios.Seeds{From: 1, Count: 4}, Spent: true}
	if got, want := r.BudgetLine("1m", 0), "--for 1m: every point ran seeds 1–4 (4 seeds; the budget ran out)"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	r = Result{Ran: scenarios.Seeds{From: 1, Count: 1412}, Spent: true}
	if got, want := r.BudgetLine("1m", 0), "--for 1m: every point ran seeds 1–1,412 (1,412 seeds; the budget ran out)"; got != want {
		t.Errorf("got %q, want %q (counts thousands separated, as the suite's)", got, want)
	}
	r.Ran.Count = 4
	r.Spent = false
	if got := r.BudgetLine("1m", 4); !strings.HasSuffix(got, "(4 seeds; all of --seeds 4, before the budget ran out)") {
		t.Errorf("got %q", got)
	}
}
