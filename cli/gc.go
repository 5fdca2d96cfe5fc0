package cli

import (
	"runtime/debug"

	"github.com/spf13/cobra"
)

// Garbage collector settings of the simulation commands (setSimulationGC).
const (
	// simulationGCPercent is GOGC for a simulation: a run's live heap is a few MB, so at
	// Go's default of 100 the process collects about once per run or two. Measured
	// (BENCHMARKS.md, "Garbage collector"): 400 cuts the raft issuer's CPU per event by
	// 15% and the whole catalog's CPU by 16–26%, with runs.jsonl byte for byte the same;
	// the catalog's peak RSS goes from 224 MB to 470 MB.
	simulationGCPercent = 400
	// simulationMemoryLimit is the soft memory limit that keeps GOGC=400 from growing a
	// large run's heap to five times its live size without bound: near it the collector
	// runs more often, as at the default GOGC, instead of the heap growing. 4 GiB is about
	// eight times the catalog's peak at GOGC=400, so ordinary suites, sweeps and searches
	// never reach it, and it fits the small machines (8 GiB and up) leasesim runs on;
	// a run whose live heap exceeds it still runs (the limit is soft; the runtime caps the
	// collector's share of CPU), and GOMEMLIMIT sets another.
	simulationMemoryLimit = 4 << 30
)

// simulationCommands are the commands whose memory is the runs they simulate. check,
// report, live and list are not among them: their memory is dominated by a history or
// results they read (check's 1M-claim history keeps hundreds of MB live), which GOGC=400
// would multiply by five.
var simulationCommands = map[string]bool{"run": true, "suite": true, "bench": true, "sweep": true, "explore": true, "tune": true}

// useSimulationGC sets the garbage collector for cmd when it is a simulation command
// (setSimulationGC with the process's environment).
func useSimulationGC(cmd *cobra.Command, getenv func(string) string) {
	if cmd.HasParent() && !cmd.Parent().HasParent() && simulationCommands[cmd.Name()] {
		setSimulationGC(getenv)
	}
}

// setSimulationGC sets GOGC to simulationGCPercent unless the GOGC environment variable
// is set, and the soft memory limit to simulationMemoryLimit unless GOMEMLIMIT is: a
// user's own setting always wins (the runtime has already applied it).
func setSimulationGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(simulationGCPercent)
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(simulationMemoryLimit)
	}
}
