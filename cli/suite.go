package cli

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/leasesim/leasesim/internal/exit"
	"github.com/leasesim/leasesim/internal/suiterun"
	"github.com/leasesim/leasesim/reports"
	"github.com/leasesim/leasesim/result"
)

// parseShard parses "i/n" with 1 <= i <= n.
func parseShard(s string) (int, int, error) {
	if s == "" {
		return 1, 1, nil
	}
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 1 || i > n {
		return 0, 0, exit.Bad("--shard %q: expected i/n with 1 <= i <= n, like 2/8", s)
	}
	return i, n, nil
}

// suiteFlags are suite's flags.
type suiteFlags struct {
	seeds   int
	junit   string
	asJSON  bool
	out     string
	shard   string
	workers int
	timeout time.Duration
	twice   bool
	budget  forFlag
	swarm   bool
}

// register defines the flags on f.
func (fl *suiteFlags) register(f *pflag.FlagSet) {
	f.IntVar(&fl.seeds, "seeds", 0, "run this many seeds of each scenario instead of its own seeds: count")
	f.StringVar(&fl.junit, "junit", "", "write JUnit XML (one testcase per scenario) to this file")
	f.BoolVar(&fl.asJSON, "json", false, "print one JSON object per scenario instead of the table")
	f.StringVar(&fl.out, "out", "results", "write results.jsonl, runs.jsonl, report.html and failure bundles into this directory (\"\" for none)")
	f.StringVar(&fl.shard, "shard", "", "run only shard i of n (i/n) of the scenario × seed jobs; merge shards with leasesim report")
	f.IntVar(&fl.workers, "workers", 0, "runs in parallel (default: the number of CPUs)")
	f.DurationVar(&fl.timeout, "timeout", 0, "wall-clock limit for each porcupine check (0: none)")
	f.Var(&fl.budget, "for", "run seeds until this wall-clock budget is spent (like 30m): seeds in order, round-robin over the scenarios, a started seed finishes; --seeds is then the maximum per scenario")
	f.BoolVar(&fl.swarm, "swarm", false, "swarm faults: every random: schedule draws its own mix of fault kinds and rates per seed, as with swarm: true")
	f.BoolVar(&fl.twice, "check-determinism", false, "run every seed a second time (the jobs in reverse order) and fail (exit 4) with the first differing history record when a history differs")
}

func newSuiteCmd() *cobra.Command {
	var fl suiteFlags
	cmd := &cobra.Command{
		Use:   "suite [PATHS...]",
		Short: "Run scenarios × seeds in parallel and check every expectation",
		Long:  longHelp("suite"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return fl.runSuite(cmd.OutOrStdout(), cmd.ErrOrStderr(), args)
		},
	}
	fl.register(cmd.Flags())
	return cmd
}

// runSuite checks the flags, loads the scenarios args name, runs this shard's jobs
// (package suiterun), and prints and judges their results.
func (fl suiteFlags) runSuite(stdout, stderr io.Writer, args []string) error {
	cfg, err := fl.config(stderr)
	if err != nil {
		return err
	}
	ls, errs := loadPaths(args)
	if len(errs) > 0 {
		for _, e := range errs {
			fmt.Fprintln(stderr, "leasesim:", e)
		}
		return exit.With(exit.BadInput)
	}
	if len(ls) == 0 {
		return exit.Bad("no scenario files found in %s", strings.Join(args, ", "))
	}
	suite := suiterun.New(cfg, ls)
	release, err := suite.Prepare()
	if err != nil {
		return exit.Bad("%v", err)
	}
	defer release()
	ctx, stop := signalContext()
	defer stop()
	runErr := suite.Run(ctx)
	interrupted := ctx.Err() != nil
	stop()
	ie, code := suite.RunError(runErr, interrupted)
	if code != exit.OK {
		return exit.With(code)
	}
	rs := suite.Results()
	if err := fl.print(stdout, rs); err != nil {
		return err
	}
	return exit.With(suite.ExitCode(rs, ie, interrupted))
}

// config checks the flags and returns the suite's configuration.
func (fl suiteFlags) config(stderr io.Writer) (suiterun.Config, error) {
	si, sn, err := parseShard(fl.shard)
	if err != nil {
		return suiterun.Config{}, err
	}
	if fl.seeds < 0 {
		return suiterun.Config{}, exit.Bad("--seeds %d: expected a count >= 1", fl.seeds)
	}
	if fl.budget.given() && sn > 1 {
		// Each shard would stop at its own count, leaving holes in the merged seeds.
		return suiterun.Config{}, exit.Bad("--for with --shard %s: a budget runs each scenario's seeds in order on one machine; give the shards --seeds instead", fl.shard)
	}
	return suiterun.Config{Seeds: fl.seeds, Shard: si, Shards: sn, Workers: fl.workers, Timeout: fl.timeout,
		Twice: fl.twice, Swarm: fl.swarm, For: fl.budget.d, Clock: wallClock, Out: fl.out, JUnit: fl.junit,
		Quiet: progressQuiet, Stderr: stderr}, nil
}

// print prints the results: one JSON object per scenario, or the table.
func (fl suiteFlags) print(w io.Writer, rs []result.ScenarioResult) error {
	if fl.asJSON {
		return result.WriteJSONLines(w, rs)
	}
	return reports.WriteSuiteTable(w, rs)
}
