package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/leasesim/leasesim/history"
	"github.com/leasesim/leasesim/internal/runner"
	"github.com/leasesim/leasesim/result"
)

func init() {
	subcommands = append(subcommands, func() *cobra.Command {
		var (
			asJSON  bool
			timeout time.Duration
			out     string
		)
		cmd := &cobra.Command{
			Use:   "check HISTORY",
			Short: "Verdicts for a recorded history (JSON lines from any producer)",
			Long: `check reads a history — JSON lines as written by run --out, suite failure bundles,
live runs, or any system that records claims, writes, operations and statuses — and
prints the same verdicts and metrics as run. Every record is checked before any
verdict (history/FORMAT.md): known types and fields, required fields, numbers as
numbers, times within the meta record's window, holders and issuers among the meta
record's; the first problem exits 2, naming the line and field. With --timeout, a
porcupine check that does not finish in time makes the verdict "unknown" (exit 3).`,
			Args: cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				if timeout < 0 {
					return badInput("--timeout: %s is negative; expected a duration >= 0 (0: no limit)", timeout)
				}
				f, err := os.Open(args[0])
				if err != nil {
					return badInput("%v", err)
				}
				defer f.Close()
				h, err := history.Read(f, args[0])
				if err != nil {
					return badInput("%v", err)
				}
				res := runner.Check(h, runner.Options{PorcupineTimeout: timeout})
				r := result.RunResult{Scenario: h.Meta.Scenario, Protocol: h.Meta.Protocol, Mutant: h.Meta.Mutant,
					Seed: h.Meta.Seed, Verdict: res.Verdict, Findings: res.Findings, Metrics: res.Metrics,
					TraceHash: h.Meta.TraceHash, Params: h.Meta.Params, Live: h.Meta.Live}
				if out != "" {
					if err := writeRunDir(out, h, r, res, nil); err != nil {
						return err
					}
				}
				if asJSON {
					if err := printRunJSON(cmd.OutOrStdout(), r); err != nil {
						return err
					}
				} else {
					printRunText(cmd.OutOrStdout(), r, res.Checks)
					if out != "" {
						fmt.Fprintf(cmd.OutOrStdout(), "results in %s\n", filepath.Clean(out))
					}
				}
				return withCode(exitCodeFor(res.Verdict))
			},
		}
		cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object")
		cmd.Flags().DurationVar(&timeout, "timeout", 0, "wall-clock limit for each porcupine check (0: none); on expiry the verdict is unknown, exit 3")
		cmd.Flags().StringVar(&out, "out", "", "write the verdict, history, timeline and porcupine visualization into this directory")
		return cmd
	})
}
