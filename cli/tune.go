package cli

import (
	"context"
	"errors"
	"io"

	"github.com/spf13/cobra"

	"github.com/leasesim/leasesim/internal/exit"
	"github.com/leasesim/leasesim/tune"
)

// tuneFlags are the tune command's flags: the search's (tune.Flags, checked there)
// and where the results go.
type tuneFlags struct {
	tune.Flags
	out    string
	asJSON bool
}

func newTuneCmd() *cobra.Command {
	var fl tuneFlags
	cmd := &cobra.Command{
		Use:   "tune SCENARIO --max-drift 200ppm --max-offset 50ms",
		Short: "Recommend lease, renew and guard: the least unavailability that stays safe",
		Long:  longHelp("tune"),
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			fl.RateSet, fl.ConfSet, fl.MaxSeedsSet = cmd.Flags().Changed("max-violation-rate"), cmd.Flags().Changed("confidence"), cmd.Flags().Changed("max-seeds")
			return runTune(cmd, args[0], fl)
		},
	}
	f := cmd.Flags()
	f.StringVar(&fl.MaxDrift, "max-drift", "200ppm", "the largest clock drift to tolerate, in ppm (\"200ppm\" or \"200\")")
	f.DurationVar(&fl.MaxOffset, "max-offset", 0, "the largest wall-clock offset to tolerate (matters for timestamp expiry)")
	f.Float64Var(&fl.Target, "target-unavailability", 0, "the p99 unavailable fraction to meet with the least issuer load (0: least unavailability)")
	f.IntVar(&fl.Seeds, "seeds", 20, "seeds per candidate (with --max-violation-rate: the first batch)")
	f.Float64Var(&fl.MaxRate, "max-violation-rate", 0, "recommend only a candidate whose rate of violating seeds is shown to be at most this fraction (e.g. 1e-4), adding seeds until decided")
	f.Float64Var(&fl.Confidence, "confidence", 0.95, "with --max-violation-rate: the confidence of the one-sided upper bound, in (0, 1)")
	f.IntVar(&fl.MaxSeeds, "max-seeds", 100000, "with --max-violation-rate: the most seeds one candidate runs before it is left undecided")
	f.StringVar(&fl.Leases, "leases", "1s,2s,3s,5s,10s,20s,30s", "lease lengths to try")
	f.StringVar(&fl.out, "out", "", "directory for recommended.yaml and below-bound.yaml (default out/tune-NAME)")
	f.BoolVar(&fl.asJSON, "json", false, "print one JSON object")
	return cmd
}

// runTune checks the flags, claims the output directory, searches, writes the scenario
// files and prints the result.
func runTune(cmd *cobra.Command, arg string, fl tuneFlags) error {
	l, err := loadScenario(arg)
	if err != nil {
		return err
	}
	if err := tune.CheckFamily(l.Scenario); err != nil {
		return exit.Bad("%v", err)
	}
	opt, err := fl.Options()
	if err != nil {
		return exit.Bad("%v", err)
	}
	dir, err := claimOut(&fl.out, "tune", l.Scenario.Name)
	if err != nil {
		return err
	}
	defer dir.Release()
	ctx, stop := signalContext()
	defer stop()
	res, err := tune.Search(ctx, l.Scenario, opt)
	if errors.Is(err, context.Canceled) {
		return exit.With(exit.Interrupted)
	} else if err != nil {
		return exit.Bad("%v", err)
	}
	files, err := res.WriteFiles(fl.out)
	if err != nil {
		return err
	}
	return printTune(cmd.OutOrStdout(), res, files, fl.asJSON)
}

// printTune prints the search's result (one JSON object with asJSON) and returns its
// exit: 0 with a recommendation, 3 when none qualified and some candidate is undecided,
// else 1.
func printTune(w io.Writer, res *tune.Result, files tune.Files, asJSON bool) error {
	if asJSON {
		if err := res.WriteJSON(w, files); err != nil {
			return err
		}
	} else {
		res.WriteText(w, files)
	}
	switch {
	case res.Recommended != nil:
		return nil
	case res.Undecided:
		return exit.With(exit.Undecided)
	}
	return exit.With(exit.Violated)
}
