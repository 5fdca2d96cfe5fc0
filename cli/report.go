package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/leasesim/leasesim/internal/exit"
	"github.com/leasesim/leasesim/internal/merge"
	"github.com/leasesim/leasesim/reports"
)

func newReportCmd() *cobra.Command {
	var out, title string
	cmd := &cobra.Command{
		Use:   "report DIR... [--out DIR]",
		Short: "One self-contained HTML report from suite and sweep results (merges shards)",
		Long:  longHelp("report"),
		Args:  cobra.MinimumNArgs(1),
		RunE:  func(cmd *cobra.Command, args []string) error { return runReport(cmd, args, out, title) },
	}
	cmd.Flags().StringVar(&out, "out", "report", "directory for report.html")
	cmd.Flags().StringVar(&title, "title", "leasesim report", "the report's title")
	return cmd
}

// runReport merges the directories (package merge), writes out/report.html and exits
// with the merged suite's verdict.
func runReport(cmd *cobra.Command, dirs []string, out, title string) error {
	d, err := prepareOut("--out", out)
	if err != nil {
		return err
	}
	defer d.Release()
	rep, path, err := merge.WriteReport(out, title, dirs)
	if err != nil {
		return exit.Bad("%v", err)
	}
	fmt.Fprintf(cmd.OutOrStdout(), "%s: %s, %s, %s\n", path, reports.Count(len(rep.Suite), "scenario"), reports.Count(len(rep.Sweeps), "sweep"), reports.Count(len(rep.Failures), "failure"))
	code := exit.ForSuite(rep.Suite)
	if code != exit.OK {
		// Which scenarios, which expectations, and the seeds that would decide an
		// undecided one: the same details as suite's, so a pipeline's log says why.
		reports.WriteNotMet(cmd.OutOrStdout(), rep.Suite)
		fmt.Fprintf(cmd.ErrOrStderr(), "leasesim: the merged suite is %s (exit %d): see %s\n", map[int]string{exit.Violated: "not met", exit.Undecided: "undecided"}[code], code, path)
	}
	return exit.With(code)
}
