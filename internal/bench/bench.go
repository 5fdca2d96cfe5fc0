package bench

import (
	"runtime"
	"time"

	"github.com/leasesim/leasesim/history"
	"github.com/leasesim/leasesim/internal/runner"
	"github.com/leasesim/leasesim/scenarios"
	"github.com/leasesim/leasesim/sim"
	"github.com/leasesim/leasesim/stats"
)

// Result is what Run measured: `leasesim bench --json` prints it.
type Result struct {
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
	// CPU says whether the platform reported CPU time.
	CPU bool `json:"-"`
}

// samples are the per-run figures Run takes the medians of.
type samples struct {
	perHour, perEvent, checks, cpuRun, cpuEvent, cpuCheck []float64
}

// Run times runs runs of sc, from its first seed, one after the other, and returns their
// medians (the CPU figures stay 0 where the platform does not report CPU time). An error
// is the scenario's: it cannot be built or run.
func Run(sc *scenarios.Scenario, runs int) (Result, error) {
	res := Result{Scenario: sc.Name, Runs: runs, SimulatedHours: sc.Duration.Hours(), GoMaxProcs: runtime.GOMAXPROCS(0)}
	var s samples
	for i := range runs {
		h, err := s.time(sc, sc.Seeds.From+uint64(i))
		if err != nil {
			return res, err
		}
		res.Events, res.Messages = h.Meta.Events, h.Meta.Messages
	}
	res.MedianMsPerHour, res.MedianNsEvent, res.CheckMs = stats.Median(s.perHour), stats.Median(s.perEvent), stats.Median(s.checks)
	res.CPUMsRun, res.CPUNsEvent, res.CheckCPUMsRun = stats.Median(s.cpuRun), stats.Median(s.cpuEvent), stats.Median(s.cpuCheck)
	res.CPU = len(s.cpuRun) > 0
	res.SpeedUp = 3.6e6 / res.MedianMsPerHour
	return res, nil
}

// time runs and checks one seed and records its figures.
func (s *samples) time(sc *scenarios.Scenario, seed uint64) (*history.History, error) {
	cfg, err := sc.Config(seed)
	if err != nil {
		return nil, err
	}
	cpu0, hasCPU := processCPU()
	start := time.Now()
	h, err := sim.Run(cfg)
	if err != nil {
		return nil, err
	}
	el := time.Since(start)
	cpu1, _ := processCPU()
	cstart := time.Now()
	runner.Check(h, runner.Options{})
	s.checks = append(s.checks, float64(time.Since(cstart).Nanoseconds())/1e6)
	events := float64(max(h.Meta.Events, 1))
	if cpu2, _ := processCPU(); hasCPU {
		s.cpuRun = append(s.cpuRun, float64(cpu1-cpu0)/1e6)
		s.cpuEvent = append(s.cpuEvent, float64(cpu1-cpu0)/events)
		s.cpuCheck = append(s.cpuCheck, float64(cpu2-cpu1)/1e6)
	}
	s.perHour = append(s.perHour, float64(el.Nanoseconds())/1e6/sc.Duration.Hours())
	s.perEvent = append(s.perEvent, float64(el.Nanoseconds())/events)
	return h, nil
}
