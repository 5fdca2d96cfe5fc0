package explorerun

import (
	"context"
	"testing"
	"time"

	"github.com/leasesim/leasesim/explore"
	"github.com/leasesim/leasesim/internal/budget"
	"github.com/leasesim/leasesim/internal/modeltest"
	_ "github.com/leasesim/leasesim/model/all"
)

// TestSearchRun: a search of a correct protocol ends when its schedules run out or, with
// For, when the wall-clock budget is spent (a clock that advances a quarter of the
// budget per reading lets three schedules start), and then records the budget; a
// cancelled context starts none.
func TestSearchRun(t *testing.T) {
	sc := modeltest.Catalog(t, "lease-cut")
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	for _, c := range []struct {
		name     string
		ctx      context.Context
		budget   int
		forD     time.Duration
		explored int
		spent    bool
		forText  string
	}{
		{"schedules", context.Background(), 2, 0, 2, false, ""},
		{"wall clock", context.Background(), 0, time.Minute, 3, true, "1m"},
		{"wall clock before schedules", context.Background(), 2, time.Minute, 2, false, "1m"},
		{"interrupted", cancelled, 2, 0, 0, true, ""},
	} {
		s := Search{Options: explore.Options{Budget: c.budget, Seed: 1, ShrinkTime: time.Second}, For: c.forD,
			Clock: &budget.StepClock{Step: 15 * time.Second}, Quiet: true}
		sum, minimal, _, err := s.Run(c.ctx, sc)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if sum.Found || minimal != nil || sum.Explored != c.explored || sum.BudgetSpent != c.spent ||
			sum.For != c.forText || sum.ForNs != int64(c.forD) {
			t.Errorf("%s: %+v, want %d schedules explored, spent %v, for %q", c.name, sum, c.explored, c.spent, c.forText)
		}
	}
}
