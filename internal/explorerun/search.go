package explorerun

import (
	"context"
	"time"

	"github.com/leasesim/leasesim/explore"
	"github.com/leasesim/leasesim/internal/budget"
	"github.com/leasesim/leasesim/internal/progress"
	"github.com/leasesim/leasesim/internal/runner"
	"github.com/leasesim/leasesim/result"
	"github.com/leasesim/leasesim/scenarios"
)

// Search is one search of `leasesim explore` as the command configures it.
type Search struct {
	Options explore.Options // the search; Stop, OnSchedule and OnFound are Run's
	For     time.Duration   // wall-clock budget (explore --for; 0: none), read on Clock
	Clock   budget.Clock
	Quiet   bool // no progress on stderr
}

// Run runs the search (explore.Search) on sc with progress on stderr until it finds a
// failure, the budgets (Options.Budget schedules, For) run out or ctx is cancelled. With
// For, the summary records the budget (ForNs, For).
func (s Search) Run(ctx context.Context, sc *scenarios.Scenario) (sum explore.Summary, minimal *scenarios.Scenario, found *runner.Run, err error) {
	prog := progress.New("explore "+sc.Name, s.Options.Budget, s.Quiet)
	prog.SetBudget(s.For)
	var b *budget.Budget // nil without For: never spent
	if s.For > 0 {
		b = budget.Start(s.For, s.Clock)
	}
	opt := s.Options
	opt.Stop = func() bool { return ctx.Err() != nil || b.Spent() }
	opt.OnSchedule = func() { prog.Step(1) }
	opt.OnFound = func() { prog.Found(1); prog.SetNote("shrinking") }
	sum, minimal, found, err = explore.Search(sc, opt)
	prog.Finish()
	if s.For > 0 {
		sum.ForNs, sum.For = int64(s.For), result.FormatDuration(s.For)
	}
	return sum, minimal, found, err
}
