package cli

import (
	"context"
	"errors"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/leasesim/leasesim/internal/outdir"
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
}

func newTuneCmd() *cobra.Command {
	var fl tuneFlags
	cmd := &cobra.Command{
		Use:   "tune SCENARIO --max-drift 200ppm --max-offset 50ms",
		Short: "Recommend lease, renew and guard: the least unavailability that stays safe",
		Long: `tune searches lease lengths (renew = lease/4) and guard bands around the analytic
bound for a scenario of the lease family, under the worst clocks the bounds allow: Q's
clock fast by --max-drift and ahead by --max-offset, every holder's slow and behind by as
much. Every candidate runs --seeds seeds of the scenario's faults. The recommendation is
the candidate with the least mean unavailability among those that are safe on every seed
AND have a guard at or above the analytic bound (lease.MinGuard: guard >= lease·ρ, plus
the offset for timestamp expiry) — a simulation can miss a rare overlap, the bound cannot.
With --target-unavailability, the candidate with the longest renew (the least issuer load)
whose p99 unavailability meets the target is chosen instead.

Guards below the bound are simulated too, to measure the margin: tune reports the
smallest guard that was still safe and writes below-bound.yaml (the scenario with a guard
just below the bound) so that 'leasesim run' shows the violation.

Exit 0 with a recommendation, 1 when no candidate is safe (or meets the target), 2 for bad
input, 130 when interrupted.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runTune(cmd, args[0], fl) },
	}
	f := cmd.Flags()
	f.StringVar(&fl.maxDrift, "max-drift", "200ppm", "the largest clock drift to tolerate, in ppm (\"200ppm\" or \"200\")")
	f.DurationVar(&fl.maxOffset, "max-offset", 0, "the largest wall-clock offset to tolerate (matters for timestamp expiry)")
	f.Float64Var(&fl.target, "target-unavailability", 0, "the p99 unavailable fraction to meet with the least issuer load (0: least unavailability)")
	f.IntVar(&fl.seeds, "seeds", 20, "seeds per candidate")
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
	if err := tune.CheckFamily(l.sc); err != nil {
		return badInput("%v", err)
	}
	if err != nil {
		return err
	}
	if fl.out == "" {
		fl.out = filepath.Join("out", "tune-"+l.sc.Name)
	}
	dir, err := outdir.Prepare("--out", fl.out)
	if err != nil {
		return badInput("%v", err)
	}
	defer dir.Release()
	ctx, stop := interruptible(cmd.Context())
	defer stop()
	res, err := tune.Search(ctx, l.sc, opt)
	if errors.Is(err, context.Canceled) {
		return withCode(exitInterrupted)
	} else if err != nil {
		return badInput("%v", err)
	}
	var files tune.Files
	if res.BelowBound != nil {
		files.BelowBound = filepath.Join(fl.out, "below-bound.yaml")
		if err := writeFileAtomic(files.BelowBound, res.BelowBound.Marshal()); err != nil {
			return err
		}
	}
	if res.RecommendedScenario != nil {
		files.Recommended = filepath.Join(fl.out, "recommended.yaml")
		if err := writeFileAtomic(files.Recommended, res.RecommendedScenario.Marshal()); err != nil {
			return err
		}
	}
	w := cmd.OutOrStdout()
	if fl.asJSON {
		if err := res.WriteJSON(w, files); err != nil {
			return err
		}
	} else {
		res.WriteText(w, files)
	}
	if res.Recommended == nil {
		return withCode(exitViolated)
	}
	return nil
}

// tuneOptions checks the flags.
func tuneOptions(fl tuneFlags) (tune.Options, error) {
	ppm, err := tune.ParsePPM(fl.maxDrift)
	if err != nil {
		return tune.Options{}, badInput("--max-drift %q: %v", fl.maxDrift, err)
	}
	if fl.maxOffset < 0 {
		return tune.Options{}, badInput("--max-offset %s: expected a duration >= 0", fl.maxOffset)
	}
	if !(fl.target >= 0 && fl.target <= 1) {
		return tune.Options{}, badInput("--target-unavailability %v: expected a fraction in [0, 1] (0: the least unavailability)", fl.target)
	}
	if fl.seeds < 1 {
		return tune.Options{}, badInput("--seeds %d: expected at least 1", fl.seeds)
	}
	leases, err := tune.ParseLeases(fl.leases)
	if err != nil {
		return tune.Options{}, badInput("--leases: %v", err)
	}
	return tune.Options{MaxDriftPPM: ppm, MaxOffset: fl.maxOffset, Target: fl.target, Seeds: fl.seeds, Leases: leases}, nil
}
