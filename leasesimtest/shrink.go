package leasesimtest

import (
	"fmt"
	"github.com/leasesim/leasesim/result"
	"slices"
	"strings"
	"time"

	"github.com/leasesim/leasesim/internal/runner"
	"github.com/leasesim/leasesim/scenarios"
)

// maxShrinkRuns bounds the runs one shrink may take.
const maxShrinkRuns = 300

// shrink looks for a smaller scenario whose given seed still shows one of the finding
// kinds: greedily, it removes faults, halves the length of each, pulls the clocks' drift
// and offset ranges to zero and shortens the run, keeping each change that still
// fails. Each candidate is an ordinary scenario (its Marshal text reproduces it). ok is
// false when no smaller scenario fails.
func shrink(sc *scenarios.Scenario, seed uint64, kinds []string) (*scenarios.Scenario, bool) {
	runs := 0
	fails := func(c *scenarios.Scenario) bool {
		if runs >= maxShrinkRuns {
			return false
		}
		runs++
		run, err := runner.RunSeed(c, seed, runner.Options{PorcupineTimeout: 10 * time.Second})
		if err != nil {
			return false
		}
		for _, f := range run.Check.Findings {
			if slices.Contains(kinds, string(f.Kind)) {
				return true
			}
		}
		return false
	}
	cur := clone(sc)
	cur.Name = sc.Name + "-minimal"
	cur.Seeds = scenarios.Seeds{From: seed, Count: 1}
	changed := false
	for progress := true; progress; {
		progress = false
		for i := 0; i < len(cur.Faults); i++ {
			c := clone(cur)
			c.Faults = slices.Delete(c.Faults, i, i+1)
			if fails(c) {
				cur, progress, changed = c, true, true
				i--
			}
		}
		for i := range cur.Faults {
			f := cur.Faults[i]
			if f.Random != nil || f.Until <= f.At {
				continue
			}
			c := clone(cur)
			c.Faults[i].Until = f.At + (f.Until-f.At)/2
			if c.Faults[i].Until > c.Faults[i].At && fails(c) {
				cur, progress, changed = c, true, true
			}
		}
		if def, ok := cur.Clocks["default"]; ok && (def.DriftPPM != 0 || def.Offset != 0) {
			c := clone(cur)
			def.DriftPPM, def.Offset = 0, 0
			c.Clocks["default"] = def
			if fails(c) {
				cur, progress, changed = c, true, true
			}
		}
		if end := faultsEnd(cur); cur.Tail == 0 && cur.Duration/2 > end {
			c := clone(cur)
			c.Duration = cur.Duration / 2
			if fails(c) {
				cur, progress, changed = c, true, true
			}
		}
	}
	if !changed {
		return nil, false
	}
	cur.Description = fmt.Sprintf("Minimal scenario shrunk by leasesimtest from %s seed %d: it still shows %s.", sc.File, seed, strings.Join(kinds, ", "))
	cur.Expect = scenarios.Expect{Properties: map[string]string{}, RecoversWithin: cur.Expect.RecoversWithin}
	for _, k := range kinds {
		if slices.Contains(result.Properties, k) {
			cur.Expect.Properties[k] = result.PropViolated
		}
	}
	// The text must parse back (a check of the shrinker, not of the protocol).
	if _, err := scenarios.Parse(cur.Marshal(), cur.Name+".yaml"); err != nil {
		return nil, false
	}
	return cur, true
}

// faultsEnd is when the last fault starts or ends.
func faultsEnd(sc *scenarios.Scenario) time.Duration {
	var end time.Duration
	for _, f := range sc.Faults {
		end = max(end, f.At, f.Until)
		if f.Random != nil {
			end = max(end, f.Random.Until)
			if f.Random.Until == 0 {
				end = sc.Duration
			}
		}
	}
	return end
}

// clone copies what shrink changes: the fault list and the clocks map.
func clone(sc *scenarios.Scenario) *scenarios.Scenario {
	c := *sc
	c.Faults = slices.Clone(sc.Faults)
	c.Clocks = make(map[string]scenarios.Clock, len(sc.Clocks))
	for k, v := range sc.Clocks {
		c.Clocks[k] = v
	}
	return &c
}
