package cli

import (
	"fmt"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/leasesim/leasesim/internal/exit"
	"github.com/leasesim/leasesim/internal/rundir"
	"github.com/leasesim/leasesim/internal/runner"
	"github.com/leasesim/leasesim/live"
	"github.com/leasesim/leasesim/reports"
)

// checkFlags are check's flags.
type checkFlags struct {
	asJSON  bool
	timeout time.Duration
	out     string
}

func newCheckCmd() *cobra.Command {
	var fl checkFlags
	cmd := &cobra.Command{
		Use:   "check HISTORY",
		Short: "Verdicts for a recorded history (JSON lines from any producer)",
		Long:  longHelp("check"),
		Args:  cobra.ExactArgs(1),
		RunE:  func(cmd *cobra.Command, args []string) error { return checkHistory(cmd, args[0], fl) },
	}
	cmd.Flags().BoolVar(&fl.asJSON, "json", false, "print one JSON object")
	cmd.Flags().DurationVar(&fl.timeout, "timeout", 0, "wall-clock limit for each porcupine check (0: none); on expiry the verdict is unknown, exit 3")
	cmd.Flags().StringVar(&fl.out, "out", "", "write the verdict, history, timeline and porcupine visualization into this directory")
	return cmd
}

// checkHistory reads the history at path, checks it, writes --out and prints the verdict.
func checkHistory(cmd *cobra.Command, path string, fl checkFlags) error {
	if fl.timeout < 0 {
		return exit.Bad("--timeout: %s is negative; expected a duration >= 0 (0: no limit)", fl.timeout)
	}
	run, err := runner.CheckFile(path, runner.Options{PorcupineTimeout: fl.timeout})
	if err != nil {
		return exit.Bad("%v", err)
	}
	h, r, res := run.History, run.Result, run.Check
	if fl.out != "" {
		opt := rundir.Options{}
		if h.Meta.Live {
			opt.Expected = live.IsBeliefOverlap // a live run's belief overlaps are drawn as expected
		}
		if err := rundir.Write(fl.out, h, r, res, opt); err != nil {
			return err
		}
	}
	w := cmd.OutOrStdout()
	if fl.asJSON {
		if err := printRunJSON(w, r); err != nil {
			return err
		}
	} else {
		reports.WriteRunText(w, r, res.Checks)
		if fl.out != "" {
			fmt.Fprintf(w, "results in %s\n", filepath.Clean(fl.out))
		}
	}
	return exit.With(exit.ForVerdict(res.Verdict))
}
