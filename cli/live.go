package cli

import (
	"os"
	"os/signal"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/leasesim/leasesim/internal/exit"
	"github.com/leasesim/leasesim/internal/liverun"
	"github.com/leasesim/leasesim/live"
	"github.com/leasesim/leasesim/scenarios"
)

func newLiveCmd() *cobra.Command {
	live := &cobra.Command{
		Use:   "live",
		Short: "run the same holders against a real system",
	}
	live.AddCommand(newLiveEtcdCmd())
	return live
}

// liveFlags are live etcd's flags: the trials' (checked by package liverun) and the
// command's own.
type liveFlags struct {
	liverun.Flags
	scenario string
	json     bool
	out      string
}

func (fl *liveFlags) register(f *pflag.FlagSet) {
	f.StringVar(&fl.scenario, "scenario", "", "scenario file or built-in name whose holders and faults to use")
	f.StringSliceVar(&fl.Endpoints, "endpoints", nil, "etcd client endpoints (default: start an embedded etcd on loopback)")
	f.IntVar(&fl.Trials, "trials", 1, "number of trials")
	f.Uint64Var(&fl.Seed, "seed", 1, "seed of the first trial (trial i uses seed+i)")
	f.DurationVar(&fl.TTL, "ttl", 2*time.Second, "session TTL (whole seconds)")
	f.DurationVar(&fl.Duration, "duration", 0, "length of each trial (default: the last fault plus 3 TTLs)")
	f.BoolVar(&fl.Unfenced, "unfenced", false, "write without fencing (the control experiment)")
	f.BoolVar(&fl.json, "json", false, "print one JSON object per trial")
	f.IntVar(&fl.Members, "members", 1, "members of the embedded etcd cluster, 1 to 5 (default: the scenario's issuers); with several, a scenario's crash of Qi stops member Qi")
	f.StringVar(&fl.out, "out", "", "directory for trials.jsonl, each trial's run directory and suite-style results for leasesim report")
}

func newLiveEtcdCmd() *cobra.Command {
	var fl liveFlags
	cmd := &cobra.Command{
		Use:   "etcd",
		Short: "holder processes elect a leader through a real etcd (embedded unless --endpoints), under the scenario's faults",
		Long:  longHelp("live-etcd"),
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, args []string) error { return runLiveEtcd(cmd, fl) },
	}
	fl.register(cmd.Flags())
	return cmd
}

// config checks the flags and returns the trials' configuration, and the scenario to
// simulate alongside (an etcd scenario) or nil.
func (fl liveFlags) config(cmd *cobra.Command) (live.Config, *scenarios.Scenario, error) {
	cfg, err := fl.Config()
	if err != nil || fl.scenario == "" {
		return cfg, nil, err
	}
	l, err := loadScenario(fl.scenario)
	if err != nil {
		return cfg, nil, err
	}
	changed := cmd.Flags().Changed
	simSc, err := liverun.FromScenario(&cfg, l.Scenario, l.File, fl.Seed, liverun.Set{Members: changed("members"), TTL: changed("ttl"), Duration: changed("duration")})
	if err != nil {
		return cfg, nil, exit.Bad("%v", err)
	}
	return cfg, simSc, nil
}

// runLiveEtcd runs the trials (package liverun), writes --out as they finish, and
// prints each trial and the summary.
func runLiveEtcd(cmd *cobra.Command, fl liveFlags) error {
	cfg, simSc, err := fl.config(cmd)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt)
	defer stop()
	if fl.out != "" {
		if err := os.MkdirAll(fl.out, 0o755); err != nil {
			return exit.Bad("--out %s: %v", fl.out, err)
		}
	}
	c := liverun.Command{Out: fl.out, Sim: simSc, Seed: fl.Seed, JSON: fl.json, Quiet: progressQuiet}
	results, summaries, err := c.Run(ctx, cfg, cmd.ErrOrStderr())
	c.Print(cmd.OutOrStdout(), results, summaries)
	return liverun.Exit(results, err)
}
