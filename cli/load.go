package cli

import (
	"github.com/leasesim/leasesim/internal/load"

	"github.com/leasesim/leasesim/internal/exit"
)

// loadScenario reads a scenario from a file, or the built-in catalog (load.Scenario);
// an error is bad input.
func loadScenario(arg string) (*load.Source, error) {
	s, err := load.Scenario(arg)
	if err != nil {
		return nil, exit.Bad("%v", err)
	}
	return s, nil
}

// loadPaths loads every scenario named by paths, or the whole catalog (load.Paths);
// each error is bad input.
func loadPaths(paths []string) ([]*load.Source, []error) {
	ss, errs := load.Paths(paths)
	for i, err := range errs {
		errs[i] = exit.Bad("%v", err)
	}
	return ss, errs
}

// useSwarm puts every random: entry of a loaded scenario in swarm mode (--swarm). A
// scenario that changes is kept as written out with swarm: true, so that its run
// directory and failure bundle hold the scenario that ran and replay reproduces it.
func useSwarm(l *load.Source) {
	for _, f := range l.Scenario.Faults {
		if f.Random != nil && !f.Random.Swarm {
			l.Scenario = l.Scenario.WithSwarm()
			l.Data = l.Scenario.Marshal()
			return
		}
	}
}
