package scenarios

import (
	"math"
	"slices"
	"testing"

	"pgregory.net/rapid"

	"github.com/leasesim/leasesim/sim"
)

// TestGeneratedNodesAreFair: over 20,000 generated schedules each node a fault may name
// is named about equally often — the ends of a slow or lossy link and the node of a
// clock step among every node, the holder of a pause not aimed at the leader among the
// holders. rapid.IntRange, which drew them before, favours the first names: of the five
// nodes Q, A, B, C, R, Q was a slow or lossy link's sender 17,683 times and R 13,561, and
// A's clock was stepped 8,987 times and R's 6,635.
func TestGeneratedNodesAreFair(t *testing.T) {
	base, err := Parse(readTestdata(t, "full.yaml"), "full.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var random []Fault
	for _, f := range base.Faults {
		if f.Random != nil {
			random = append(random, f)
		}
	}
	base.Faults = random
	b := BoundsFrom(base)
	b.Kinds = []sim.FaultKind{sim.FaultSlow, sim.FaultLossy, sim.FaultClockStep, sim.FaultPause}
	gen := rapid.Custom(func(rt *rapid.T) *Scenario { return Generate(rt, base, b) })
	// counts[what][node]: how often a pick named the node.
	counts := map[string]map[string]int{"from": {}, "to": {}, "clock_step node": {}, "pause holder": {}}
	const schedules = 20000
	for i := 1; i <= schedules; i++ {
		for _, f := range gen.Example(i).Faults {
			switch f.Kind {
			case sim.FaultSlow, sim.FaultLossy:
				counts["from"][f.From[0]]++
				counts["to"][f.To[0]]++
			case sim.FaultClockStep:
				counts["clock_step node"][f.Node]++
			case sim.FaultPause:
				if f.Node != sim.TargetLeader {
					counts["pause holder"][f.Node]++
				}
			}
		}
	}
	nodes := base.nodeNames()
	for what, among := range map[string][]string{"from": nodes, "to": nodes, "clock_step node": nodes, "pause holder": base.Holders} {
		c := counts[what]
		t.Logf("%s over %d schedules (-v shows them): %v", what, schedules, c)
		total := 0
		for _, n := range c {
			total += n
		}
		p := 1 / float64(len(among))
		mean := float64(total) * p
		// A fair draw names each within 5 standard deviations of the mean (binomial:
		// about 5% of it here).
		tolerance := 5 * math.Sqrt(float64(total)*p*(1-p))
		for _, n := range among {
			if d := float64(c[n]) - mean; math.Abs(d) > tolerance {
				t.Errorf("%s: %s named %d of %d times, %.3f× the mean (a fair draw: within %.3f×); want each of %v about equally often: %v",
					what, n, c[n], total, float64(c[n])/mean, 1+tolerance/mean, among, c)
			}
		}
		for n := range c {
			if !slices.Contains(among, n) {
				t.Errorf("%s: %s is not one of %v", what, n, among)
			}
		}
	}
}
