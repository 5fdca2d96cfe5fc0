package cli

import (
	"github.com/leasesim/leasesim/internal/exit"
	"github.com/leasesim/leasesim/internal/load"
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
