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
		if g.Duration < b.MinDuration || g.Duration > b.MaxDuration {
			rt.Fatalf("duration %s outside [%s, %s]", g.Duration, b.MinDuration, b.MaxDuration)
		}
		for _, f := range g.Faults {
			if f.Random != nil {
				rt.Fatalf("a random entry survived generation")
			}
		}
		if _, err := g.Config(g.Seeds.From); err != nil {
			rt.Fatal(err)
		}
	})
}
