package cli

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/leasesim/leasesim/explore"
	"github.com/leasesim/leasesim/internal/exit"
	"github.com/leasesim/leasesim/internal/explorerun"
	"github.com/leasesim/leasesim/reports"
)

// exploreFlags are explore's flags.
type exploreFlags struct {
	opt    explore.Options
	out    string
	asJSON bool
	budget forFlag
}

func newExploreCmd() *cobra.Command {
	var fl exploreFlags
	cmd := &cobra.Command{
		Use:   "explore SCENARIO",
		Short: "Random fault search; shrinks the first failure to a minimal scenario",
		Long:  longHelp("explore"),
		Args:  cobra.ExactArgs(1),
		RunE:  func(cmd *cobra.Command, args []string) error { return runExplore(cmd, args[0], &fl) },
	}
	f := cmd.Flags()
	f.IntVar(&fl.opt.Budget, "budget", 200, "how many schedules to try before giving up (with --for: the most, else no maximum)")
	f.Var(&fl.budget, "for", "search until this wall-clock budget is spent (like 30m): a started schedule finishes, no later one starts")
	f.StringVar(&fl.out, "out", "", "directory for the minimal scenario and its run (default out/explore-NAME)")
	f.Uint64Var(&fl.opt.Seed, "seed", 1, "seed of the search itself (the same seed explores the same schedules)")
	f.DurationVar(&fl.opt.ShrinkTime, "shrink-time", time.Minute, "wall-clock bound on shrinking")
	f.BoolVar(&fl.asJSON, "json", false, "print the summary as one JSON object")
	f.BoolVar(&fl.opt.Swarm, "swarm", false, "swarm faults: each schedule first draws its own mix by the swarm rule (which fault kinds are on, their lengths, the network's delay scale)")
	return cmd
}

// runExplore checks the flags, claims the output directory, searches, and writes and
// prints what the search found.
func runExplore(cmd *cobra.Command, arg string, fl *exploreFlags) error {
	l, err := loadScenario(arg)
	if err != nil {
		return err
	}
	if fl.opt.Budget < 1 {
		return exit.Bad("--budget %d: expected at least 1", fl.opt.Budget)
	}
	if fl.budget.given() && !cmd.Flags().Changed("budget") {
		fl.opt.Budget = 0 // no maximum: the budget ends the search
	}
	d, err := claimOut(&fl.out, "explore", l.Scenario.Name)
	if err != nil {
		return err
	}
	defer d.Release()
	ctx, stop := signalContext()
	defer stop()
	s := explorerun.Search{Options: fl.opt, For: fl.budget.d, Clock: wallClock, Quiet: progressQuiet}
	sum, minimal, found, err := s.Run(ctx, l.Scenario)
	if err != nil {
		return runFailed(err)
	}
	interrupted := ctx.Err() != nil
	w := cmd.OutOrStdout()
	switch {
	case interrupted && !sum.Found:
		sum.BudgetSpent = false
		explorerun.Print(w, sum, fl.asJSON)
		fmt.Fprintf(cmd.ErrOrStderr(), "leasesim: interrupted: no new schedule was started; %s ran without a finding\n", reports.Count(sum.Explored, "schedule"))
		return exit.With(exit.Interrupted)
	case !sum.Found:
		explorerun.Print(w, sum, fl.asJSON)
		return nil
	}
	if err := explorerun.WriteFound(fl.out, l.Scenario.File, minimal, found, &sum); err != nil {
		return runFailed(err)
	}
	explorerun.Print(w, sum, fl.asJSON)
	return exit.With(exit.Violated)
}
