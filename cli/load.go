package cli

import (
	"github.com/leasesim/leasesim/internal/load"
	"github.com/leasesim/leasesim/scenarios"
)

// loaded is a scenario with where it came from and its exact bytes (load.Source).
type loaded struct {
	sc   *scenarios.Scenario
	file string // a path, or builtin:NAME.yaml
	data []byte
}

func (l *loaded) source() load.Source { return load.Source{Scenario: l.sc, File: l.file, Data: l.data} }

// loadScenario reads a scenario from a file, or the built-in catalog (load.Scenario);
// an error is bad input.
func loadScenario(arg string) (*loaded, error) {
	s, err := load.Scenario(arg)
	if err != nil {
		return nil, badInput("%v", err)
	}
	return &loaded{sc: s.Scenario, file: s.File, data: s.Data}, nil
}

// loadPaths loads every scenario named by paths, or the whole catalog (load.Paths);
// each error is bad input.
func loadPaths(paths []string) ([]*loaded, []error) {
	ss, errs := load.Paths(paths)
	out := make([]*loaded, len(ss))
	for i, s := range ss {
		out[i] = &loaded{sc: s.Scenario, file: s.File, data: s.Data}
	}
	for i, err := range errs {
		errs[i] = badInput("%v", err)
	}
	return out, errs
}
