package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/leasesim/leasesim/internal/bench"
	"github.com/leasesim/leasesim/internal/exit"
	"github.com/leasesim/leasesim/reports"
)

func newBenchCmd() *cobra.Command {
	var (
		runs   int
		asJSON bool
		events bool
	)
	cmd := &cobra.Command{
		Use:   "bench [SCENARIO]",
		Short: "Time the simulator on the reference workload (or a scenario), one run at a time",
		Long:  longHelp("bench"),
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := "reference"
			if len(args) == 1 {
				name = args[0]
			}
			l, err := loadScenario(name)
			if err != nil {
				return err
			}
			if events && cmd.Flags().Changed("runs") {
				return exit.Bad("--runs: --events makes one run and times none; leave --runs out")
			}
			if runs < 1 {
				return exit.Bad("--runs %d: expected at least 1", runs)
			}
			if events {
				b, err := countEvents(l.Scenario)
				if err != nil {
					return exit.Bad("%v", err)
				}
				if asJSON {
					out, _ := json.Marshal(b)
					fmt.Fprintf(cmd.OutOrStdout(), "%s\n", out)
					return nil
				}
				printEvents(cmd.OutOrStdout(), b, l.Scenario.Duration)
				return nil
			}
			res, err := bench.Run(l.Scenario, runs)
			if err != nil {
				return exit.Bad("%v", err)
			}
			printBench(cmd.OutOrStdout(), res, l.Scenario.Duration, asJSON)
			return nil
		},
	}
	cmd.Flags().IntVar(&runs, "runs", 20, "how many runs to time (the median is reported)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object")
	cmd.Flags().BoolVar(&events, "events", false, "instead of timing, run the first seed once with a transcript and print its events by kind and message type")
	return cmd
}

// printBench prints what bench measured: one JSON object, or lines for people.
func printBench(w io.Writer, res bench.Result, simulated time.Duration, asJSON bool) {
	if asJSON {
		b, _ := json.Marshal(res)
		fmt.Fprintf(w, "%s\n", b)
		return
	}
	fmt.Fprintf(w, "%s: %s of %s simulated, one at a time, GOMAXPROCS %d\n", res.Scenario, reports.Count(res.Runs, "run"), simulated, res.GoMaxProcs)
	fmt.Fprintf(w, "  wall: %.2f ms per simulated hour (%.0fx real time), %.1f ns per event, %d events and %d messages per run\n",
		res.MedianMsPerHour, res.SpeedUp, res.MedianNsEvent, res.Events, res.Messages)
	if res.CPU {
		fmt.Fprintf(w, "  CPU:  %.2f ms per run, %.1f ns per event\n", res.CPUMsRun, res.CPUNsEvent)
	}
	fmt.Fprintf(w, "  check (every property, porcupine included): %.3f ms wall", res.CheckMs)
	if res.CPU {
		fmt.Fprintf(w, ", %.3f ms CPU", res.CheckCPUMsRun)
	}
	fmt.Fprintf(w, " per run\n")
}
