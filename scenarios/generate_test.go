package scenarios

import (
	"testing"

	"pgregory.net/rapid"

	"github.com/leasesim/leasesim/sim"
)

// TestGenerateWritesValidScenarios checks that every generated schedule is a scenario the
// parser accepts unchanged: explore writes them as files for `leasesim run`.
func TestGenerateWritesValidScenarios(t *testing.T) {
	base, err := Parse(readTestdata(t, "full.yaml"), "full.yaml")
	if err != nil {
		t.Fatal(err)
	}
	b := BoundsFrom(base)
	if len(b.Kinds) != 4 || b.MaxDriftPPM != 100 {
		t.Fatalf("bounds from the random entry and default clock: %+v", b)
	}
	rapid.Check(t, func(rt *rapid.T) {
		g := Generate(rt, base, b)
		printed := g.Marshal()
		again, err := Parse(printed, "generated.yaml")
		if err != nil {
			rt.Fatalf("generated scenario does not parse: %v\n%s", err, printed)
		}
		equalScenarios(t, g, again)
		if g.Tail != DefaultGeneratedTail || g.Expect.RecoversWithin != DefaultRecoversWithin(g.Tail) {
			rt.Fatalf("tail %s, recovers_within %s: expected the defaults %s, %s", g.Tail, g.Expect.RecoversWithin, DefaultGeneratedTail, DefaultRecoversWithin(DefaultGeneratedTail))
		}
		if heal := g.HealBy(); heal < b.MinDuration || heal > b.MaxDuration {
			rt.Fatalf("faulty part %s outside [%s, %s]", heal, b.MinDuration, b.MaxDuration)
		}
		for _, f := range g.Faults {
			if f.Random != nil {
				rt.Fatalf("a random entry survived generation")
			}
			if f.At >= g.HealBy() || f.Until > g.HealBy() {
				rt.Fatalf("%s until %s is not healed by the tail's start %s", &f, f.Until, g.HealBy())
			}
		}
		if _, err := g.Config(g.Seeds.From); err != nil {
			rt.Fatal(err)
		}
	})
}

// TestGeneratedKindsAreFair: over 2,000 generated schedules each fault kind comes about
// equally often (2,407 to 2,556 of 14,873 faults). rapid.SampledFrom, which drew the
// kind before, favours the first kinds of its list: with these six, the first two came
// 3,058 and 3,105 times, the others 1,911 to 2,333. These kinds are never dropped after their draw (no side of a partition left
// empty, no clash of crashes), so the faults count the draws.
func TestGeneratedKindsAreFair(t *testing.T) {
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
	b.Kinds = []sim.FaultKind{sim.FaultCut, sim.FaultCutOneway, sim.FaultIsolate, sim.FaultSlow, sim.FaultLossy, sim.FaultClockStep}
	gen := rapid.Custom(func(rt *rapid.T) *Scenario { return Generate(rt, base, b) })
	counts := map[sim.FaultKind]int{}
	total := 0
	for i := 1; i <= 2000; i++ {
		for _, f := range gen.Example(i).Faults {
			counts[f.Kind]++
			total++
		}
	}
	t.Logf("faults by kind over 2,000 schedules (-v shows them): %v", counts)
	mean := float64(total) / float64(len(b.Kinds))
	for _, k := range b.Kinds {
		// About 2,400 faults of each kind: a fair draw stays within 10% (5 standard
		// deviations) of the mean.
		if r := float64(counts[k]) / mean; r < 0.9 || r > 1.1 {
			t.Errorf("%s: %d of %d faults, %.2f× the mean; want each kind about equally often: %v", k, counts[k], total, r, counts)
		}
	}
}
