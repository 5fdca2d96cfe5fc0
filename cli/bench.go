package cli

import (
	"encoding/json"
	"fmt"
	"runtime"
	"time"

	"github.com/spf13/cobra"

	"github.com/leasesim/leasesim/internal/runner"
	"github.com/leasesim/leasesim/scenarios"
	"github.com/leasesim/leasesim/sim"
	"github.com/leasesim/leasesim/stats"
)

func init() {
	subcommands = append(subcommands, newBenchCmd)
}

// benchResult is what `leasesim bench` measured.
type benchResult struct {
	Scenario        string  `json:"scenario"`
	Runs            int     `json:"runs"`
	SimulatedHours  float64 `json:"simulated_hours_per_run"`
	MedianMsPerHour float64 `json:"median_ms_per_simulated_hour"`
	MedianNsEvent   float64 `json:"median_ns_per_event"`
	Events          int64   `json:"events_per_run"`
	Messages        int64   `json:"messages_per_run"`
	SpeedUp         float64 `json:"times_real_time"`
	CheckMs         float64 `json:"median_check_ms"`
	// The process's CPU time (user + system, so the garbage collector's too), median
	// over runs; absent where the platform does not report it. On a loaded machine these
	// vary much less than the wall times.
	CPUMsRun      float64 `json:"median_cpu_ms_per_run,omitempty"`
	CPUNsEvent    float64 `json:"median_cpu_ns_per_event,omitempty"`
	CheckCPUMsRun float64 `json:"median_check_cpu_ms,omitempty"`
	GoMaxProcs    int     `json:"gomaxprocs"`
	// cpu says whether the platform reported CPU time.
	cpu bool
}

func newBenchCmd() *cobra.Command {
	var (
		runs   int
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "bench [SCENARIO]",
		Short: "Time the simulator on the reference workload (or a scenario), one run at a time",
		Long: `bench runs a scenario (default: the built-in reference workload of docs/semantics.md — lease,
1 issuer + 5 holders, renew 1s, lease 10s, 1% loss, one simulated hour) --runs times, one
after the other on one core, and prints the median wall time per simulated hour, per
event, and of the checker (sweep and metrics, porcupine off). The Go benchmarks
(go test -bench 'Reference|SynctestLease|BareLoop' ./sim/) put these figures beside a
goroutine implementation under testing/synctest and the bare event queue; BENCHMARKS.md
has the figures.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := "reference"
			if len(args) == 1 {
				name = args[0]
			}
			l, err := loadScenario(name)
			if err != nil {
				return err
			}
			if runs < 1 {
				return badInput("--runs %d: expected at least 1", runs)
			}
			res, err := benchRuns(l.sc, runs)
			if err != nil {
				return err
			}
			res.SpeedUp = 3.6e6 / res.MedianMsPerHour
			w := cmd.OutOrStdout()
			if asJSON {
				b, _ := json.Marshal(res)
				fmt.Fprintf(w, "%s\n", b)
				return nil
			}
			fmt.Fprintf(w, "%s: %s of %s simulated, one at a time, GOMAXPROCS %d\n", res.Scenario, count(runs, "run"), l.sc.Duration, res.GoMaxProcs)
			fmt.Fprintf(w, "  wall: %.2f ms per simulated hour (%.0fx real time), %.1f ns per event, %d events and %d messages per run\n",
				res.MedianMsPerHour, res.SpeedUp, res.MedianNsEvent, res.Events, res.Messages)
			if res.cpu {
				fmt.Fprintf(w, "  CPU:  %.2f ms per run, %.1f ns per event\n", res.CPUMsRun, res.CPUNsEvent)
			}
			fmt.Fprintf(w, "  check (every property, porcupine included): %.3f ms wall", res.CheckMs)
			if res.cpu {
				fmt.Fprintf(w, ", %.3f ms CPU", res.CheckCPUMsRun)
			}
			fmt.Fprintf(w, " per run\n")
			return nil
		},
	}
	cmd.Flags().IntVar(&runs, "runs", 20, "how many runs to time (the median is reported)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object")
	return cmd
}

// benchRuns times runs runs of sc, one after the other, and returns their medians (the
// CPU figures stay 0 where the platform does not report CPU time).
func benchRuns(sc *scenarios.Scenario, runs int) (benchResult, error) {
	var perHour, perEvent, checks, cpuRun, cpuEvent, cpuCheck []float64
	res := benchResult{Scenario: sc.Name, Runs: runs, SimulatedHours: sc.Duration.Hours(), GoMaxProcs: runtime.GOMAXPROCS(0)}
	for i := 0; i < runs; i++ {
		cfg, err := sc.Config(sc.Seeds.From + uint64(i))
		if err != nil {
			return res, badInput("%v", err)
		}
		cpu0, hasCPU := processCPU()
		start := time.Now()
		h, err := sim.Run(cfg)
		if err != nil {
			return res, badInput("%v", err)
		}
		el := time.Since(start)
		cpu1, _ := processCPU()
		cstart := time.Now()
		runner.Check(h, runner.Options{})
		checks = append(checks, float64(time.Since(cstart).Nanoseconds())/1e6)
		if cpu2, _ := processCPU(); hasCPU {
			cpuRun = append(cpuRun, float64(cpu1-cpu0)/1e6)
			cpuEvent = append(cpuEvent, float64(cpu1-cpu0)/float64(max(h.Meta.Events, 1)))
			cpuCheck = append(cpuCheck, float64(cpu2-cpu1)/1e6)
		}
		perHour = append(perHour, float64(el.Nanoseconds())/1e6/sc.Duration.Hours())
		perEvent = append(perEvent, float64(el.Nanoseconds())/float64(max(h.Meta.Events, 1)))
		res.Events, res.Messages = h.Meta.Events, h.Meta.Messages
	}
	res.MedianMsPerHour, res.MedianNsEvent, res.CheckMs = stats.Median(perHour), stats.Median(perEvent), stats.Median(checks)
	res.CPUMsRun, res.CPUNsEvent, res.CheckCPUMsRun = stats.Median(cpuRun), stats.Median(cpuEvent), stats.Median(cpuCheck)
	res.cpu = len(cpuRun) > 0
	return res, nil
}
