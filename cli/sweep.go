package cli

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/leasesim/leasesim/internal/exit"
	"github.com/leasesim/leasesim/internal/progress"
	"github.com/leasesim/leasesim/sweep"
)

// sweepFlags are the sweep command's flags.
type sweepFlags struct {
	sets    []string
	seeds   int
	out     string
	shard   string
	workers int
	asJSON  bool
	// budget is --for (zero: not given).
	budget forFlag
}

func newSweepCmd() *cobra.Command {
	var fl sweepFlags
	cmd := &cobra.Command{
		Use:   "sweep SCENARIO --set NAME=VALUES ...",
		Short: "Run the cross product of parameter values × seeds; CSV, JSON lines, plots",
		Long:  longHelp("sweep"),
		Args:  cobra.ExactArgs(1),
		RunE:  func(cmd *cobra.Command, args []string) error { return runSweep(cmd, args[0], fl) },
	}
	f := cmd.Flags()
	f.StringArrayVar(&fl.sets, "set", nil, "NAME=v1,v2 | NAME=FROM:TO:STEP | NAME=OTHER/N (repeatable)")
	f.IntVar(&fl.seeds, "seeds", 0, "seeds per point (default: the scenario's count; with --for: the most, else no maximum)")
	f.Var(&fl.budget, "for", "run seeds until this wall-clock budget is spent (like 30m): seeds in order over every point, a started round of seeds finishes")
	f.StringVar(&fl.out, "out", "", "results directory (default out/sweep-NAME)")
	f.StringVar(&fl.shard, "shard", "", "run only shard i of n (i/n) of the points")
	f.IntVar(&fl.workers, "workers", 0, "runs in parallel (default: the number of CPUs)")
	f.BoolVar(&fl.asJSON, "json", false, "print one JSON object per point")
	return cmd
}

// runSweep plans the sweep (exit 2 on any bad value), claims the directory, runs the
// missing points and writes and prints the results.
func runSweep(cmd *cobra.Command, arg string, fl sweepFlags) error {
	l, err := loadScenario(arg)
	if err != nil {
		return err
	}
	si, sn, err := parseShard(fl.shard)
	if err != nil {
		return err
	}
	if fl.budget.given() && sn > 1 {
		return exit.Bad("--for with --shard %s: a budget runs every point's seeds in order on one machine; give the shards --seeds instead", fl.shard)
	}
	plan, err := sweep.NewPlan(l.Scenario, fl.sets, fl.seeds)
	if err != nil {
		return sweepErr(err)
	}
	dir, err := claimOut(&fl.out, "sweep", l.Scenario.Name)
	if err != nil {
		return err
	}
	defer dir.Release()
	version := sweep.BuildVersion()
	store, err := sweep.Open(fl.out, plan, version, l.File, "leasesim "+strings.Join(os.Args[1:], " "))
	if err != nil {
		return sweepErr(err)
	}
	defer store.Close()
	opt := sweep.Options{Workers: fl.workers, Shard: si, Shards: sn, Version: version}
	return fl.run(cmd, plan, store, opt)
}

// run runs the sweep's missing points with progress on stderr, then writes and prints
// the results.
func (fl sweepFlags) run(cmd *cobra.Command, plan *sweep.Plan, store *sweep.Store, opt sweep.Options) error {
	ctx, stop := signalContext()
	defer stop()
	prog := progress.New("sweep "+plan.Base.Name, 0, progressQuiet)
	opt.OnStart, opt.OnRun = prog.SetTotal, func() { prog.Step(1) }
	if b := fl.budget.start(); b != nil {
		opt.Stop, opt.MaxSeeds = b.Spent, fl.seeds
	}
	res, err := sweep.Run(ctx, plan, store, opt)
	prog.Finish()
	if err != nil {
		return sweepErr(err)
	}
	if code := res.Ended(cmd.ErrOrStderr(), fl.out, fl.budget.String()); code != exit.OK {
		return exit.With(code)
	}
	if err := sweep.WriteOutputs(fl.out, plan, store, res); err != nil {
		return err
	}
	if fl.budget.given() {
		line := res.BudgetLine(fl.budget.String(), fl.seeds)
		if fl.asJSON {
			fmt.Fprintln(cmd.ErrOrStderr(), "leasesim: "+line)
		} else {
			defer fmt.Fprintln(cmd.OutOrStdout(), line)
		}
	}
	return sweep.PrintPoints(cmd.OutOrStdout(), fl.out, plan.Swept, res.SweepPoints(plan.Swept), fl.asJSON)
}

// sweepErr maps the engine's bad-input errors to exit 2.
func sweepErr(err error) error {
	var bi *sweep.BadInput
	if errors.As(err, &bi) {
		return exit.Bad("%s", bi.Msg)
	}
	return err
}
