package scenarios

import (
	"testing"

	"pgregory.net/rapid"
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
