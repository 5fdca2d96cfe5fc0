package cli

import (
	"github.com/spf13/cobra"

	"github.com/leasesim/leasesim/internal/gc"
)

// simulationCommands are the commands whose memory is the runs they simulate, which
// set the garbage collector for that (package gc). check, report, live and list keep
// Go's defaults: their memory is dominated by a history or results they read.
var simulationCommands = map[string]bool{"run": true, "suite": true, "bench": true, "sweep": true, "explore": true, "tune": true}

// useSimulationGC sets the garbage collector for cmd (gc.ForSimulation, with the
// environment read by getenv) when it is one of the simulationCommands.
func useSimulationGC(cmd *cobra.Command, getenv func(string) string) {
	if cmd.HasParent() && !cmd.Parent().HasParent() && simulationCommands[cmd.Name()] {
		gc.ForSimulation(getenv)
	}
}
