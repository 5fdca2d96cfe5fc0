package cli

import (
	"context"
	"errors"
	"io"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/leasesim/leasesim/internal/exit"
	"github.com/leasesim/leasesim/tune"
)

func init() {
	subcommands = append(subcommands, newTuneCmd)
}

// tuneFlags are the tune command's flags.
type tuneFlags struct {
	maxDrift  string
	maxOffset time.Duration
	target    float64
	seeds     int
	leases    string
	out       string
	asJSON    bool
	// maxRate, confidence and maxSeeds are the violation-rate target (maxRate 0: none);
	// rateSet and confSet/maxSeedsSet say which were given.
	maxRate                       float64
	confidence                    float64
	maxSeeds                      int
	rateSet, confSet, maxSeedsSet bool
}

func newTuneCmd() *cobra.Command {
	var fl tuneFlags
	cmd := &cobra.Command{
		Use:   "tune SCENARIO --max-drift 200ppm --max-offset 50ms",
		Short: "Recommend lease, renew and guard: the least unavailability that stays safe",
		Long:  longHelp("tune"),
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			fl.rateSet, fl.confSet, fl.maxSeedsSet = cmd.Flags().Changed("max-violation-rate"), cmd.Flags().Changed("confidence"), cmd.Flags().Changed("max-seeds")
			return runTune(cmd, args[0], fl)
		},
	}
	f := cmd.Flags()
	f.StringVar(&fl.maxDrift, "max-drift", "200ppm", "the largest clock drift to tolerate, in ppm (\"200ppm\" or \"200\")")
	f.DurationVar(&fl.maxOffset, "max-offset", 0, "the largest wall-clock offset to tolerate (matters for timestamp expiry)")
	f.Float64Var(&fl.target, "target-unavailability", 0, "the p99 unavailable fraction to meet with the least issuer load (0: least unavailability)")
	f.IntVar(&fl.seeds, "seeds", 20, "seeds per candidate (with --max-violation-rate: the first batch)")
	f.Float64Var(&fl.maxRate, "max-violation-rate", 0, "recommend only a candidate whose rate of violating seeds is shown to be at most this fraction (e.g. 1e-4), adding seeds until decided")
	f.Float64Var(&fl.confidence, "confidence", 0.95, "with --max-violation-rate: the confidence of the one-sided upper bound, in (0, 1)")
	f.IntVar(&fl.maxSeeds, "max-seeds", 100000, "with --max-violation-rate: the most seeds one candidate runs before it is left undecided")
	f.StringVar(&fl.leases, "leases", "1s,2s,3s,5s,10s,20s,30s", "lease lengths to try")
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
	opt, err := tuneOptions(fl)
	if err := tune.CheckFamily(l.Scenario); err != nil {
		return exit.Bad("%v", err)
	}
	if err != nil {
		return err
	}
	if fl.out == "" {
		fl.out = filepath.Join("out", "tune-"+l.Scenario.Name)
	}
	dir, err := prepareOut("--out", fl.out)
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

// tuneOptions checks the flags.
func tuneOptions(fl tuneFlags) (tune.Options, error) {
	ppm, err := tune.ParsePPM(fl.maxDrift)
	if err != nil {
		return tune.Options{}, exit.Bad("--max-drift %q: %v", fl.maxDrift, err)
	}
	if fl.maxOffset < 0 {
		return tune.Options{}, exit.Bad("--max-offset %s: expected a duration >= 0", fl.maxOffset)
	}
	if !(fl.target >= 0 && fl.target <= 1) {
		return tune.Options{}, exit.Bad("--target-unavailability %v: expected a fraction in [0, 1] (0: the least unavailability)", fl.target)
	}
	if fl.seeds < 1 {
		return tune.Options{}, exit.Bad("--seeds %d: expected at least 1", fl.seeds)
	}
	leases, err := tune.ParseLeases(fl.leases)
	if err != nil {
		return tune.Options{}, exit.Bad("--leases: %v", err)
	}
	opt := tune.Options{MaxDriftPPM: ppm, MaxOffset: fl.maxOffset, Target: fl.target, Seeds: fl.seeds, Leases: leases}
	rate, err := rateTarget(fl)
	opt.Rate = rate
	return opt, err
}

// rateTarget checks the violation-rate flags: nil without --max-violation-rate, whose
// companions are then an error rather than ignored.
func rateTarget(fl tuneFlags) (*tune.RateTarget, error) {
	if !fl.rateSet {
		for _, c := range []struct {
			set  bool
			flag string
		}{{fl.confSet, "--confidence"}, {fl.maxSeedsSet, "--max-seeds"}} {
			if c.set {
				return nil, exit.Bad("%s: only applies with --max-violation-rate (the confidence and seed cap of its bound)", c.flag)
			}
		}
		return nil, nil
	}
	if !(fl.maxRate > 0 && fl.maxRate < 1) {
		return nil, exit.Bad("--max-violation-rate %v: expected a fraction of seeds in (0, 1), like 1e-4", fl.maxRate)
	}
	if !(fl.confidence > 0 && fl.confidence < 1) {
		return nil, exit.Bad("--confidence %v: expected a probability in (0, 1), like 0.95", fl.confidence)
	}
	if fl.maxSeeds < fl.seeds {
		return nil, exit.Bad("--max-seeds %d: expected at least --seeds (%d), the first batch of every candidate", fl.maxSeeds, fl.seeds)
	}
	return &tune.RateTarget{MaxRate: fl.maxRate, Confidence: fl.confidence, MaxSeeds: fl.maxSeeds}, nil
}
