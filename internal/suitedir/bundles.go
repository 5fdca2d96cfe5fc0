package suitedir

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/leasesim/leasesim/internal/bundle"
	"github.com/leasesim/leasesim/internal/load"
	"github.com/leasesim/leasesim/internal/runner"
	"github.com/leasesim/leasesim/result"
)

// Bundles is how a suite's failing scenarios get their failure bundles.
type Bundles struct {
	// Dir is the failures/ directory; "" writes none (no --out).
	Dir     string
	Sources []load.Source // the suite's scenarios, in order
	Panics  runner.Panics // by index into Sources
	Timeout time.Duration // the porcupine --timeout the suite checked with
	// Swarm says the suite ran with --swarm: a reproduce command without a bundle (the
	// bundle holds the scenario as run, with swarm: true) gets the flag too.
	Swarm bool
}

// Write sets each result's reproduce command and, with a Dir, writes a failure bundle
// for each scenario that failed on a seed or panicked, pointing the result at it. It
// returns the results and the bundles that could not be written.
func (b Bundles) Write(rs []result.ScenarioResult) ([]result.ScenarioResult, error) {
	var errs error
	for i := range rs {
		r := &rs[i]
		r.Swarm = b.Swarm
		r.Reproduce = reproduce(r)
		if b.Swarm && r.Reproduce != "" {
			r.Reproduce += " --swarm"
		}
		if b.Dir == "" || r.Met {
			continue
		}
		k := b.index(r.File)
		ps := b.Panics[k]
		seed, unmet, ok := failing(r, ps)
		if !ok {
			continue
		}
		var src load.Source
		if k >= 0 {
			src = b.Sources[k]
		}
		dir, err := bundle.Write(b.Dir, src, seed, b.Timeout, unmet)
		if err != nil {
			errs = errors.Join(errs, fmt.Errorf("failure bundle of %s: %w", r.Scenario, err))
			continue
		}
		r.Bundle = dir
		r.Reproduce = result.Command("replay", dir)
		if len(ps) > 0 {
			r.Error += "; replay: " + r.Reproduce
		}
	}
	return rs, errs
}

// failing is the seed to bundle for r, whose seeds ps panicked, and its unmet
// expectations (false: nothing to bundle).
func failing(r *result.ScenarioResult, ps []*runner.InternalError) (uint64, []result.Expectation, bool) {
	switch {
	case len(ps) > 0:
		return ps[0].Seed, nil, true
	case r.FailingSeed != nil:
		var unmet []result.Expectation
		for _, e := range r.Expectations {
			if !e.Met {
				unmet = append(unmet, e)
			}
		}
		return *r.FailingSeed, unmet, true
	}
	return 0, nil, false
}

func (b Bundles) index(file string) int {
	for i, s := range b.Sources {
		if s.File == file {
			return i
		}
	}
	return -1
}

// reproduce is the command that reruns r's failing seed ("" when none failed).
func reproduce(r *result.ScenarioResult) string {
	if r.FailingSeed == nil {
		return ""
	}
	return result.Command("run", r.File, "--seed", strconv.FormatUint(*r.FailingSeed, 10))
}
