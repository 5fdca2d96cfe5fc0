package scenarios

import (
	"flag"
	"strconv"
	"testing"

	"pgregory.net/rapid"

	"github.com/leasesim/leasesim/sim"
)

// failTB is the rapid.TB of a check whose failure is the point: it records that the
// check failed and stays quiet.
type failTB struct{ failed bool }

func (*failTB) Helper()                 {}
func (*failTB) Name() string            { return "shrink" }
func (*failTB) Logf(string, ...any)     {}
func (*failTB) Log(...any)              {}
func (*failTB) Skipf(string, ...any)    {}
func (*failTB) Skip(...any)             {}
func (*failTB) SkipNow()                {}
func (t *failTB) Errorf(string, ...any) { t.failed = true }
func (t *failTB) Error(...any)          { t.failed = true }
func (t *failTB) Fatalf(string, ...any) { t.failed = true }
func (t *failTB) Fatal(...any)          { t.failed = true }
func (t *failTB) FailNow()              { t.failed = true }
func (t *failTB) Fail()                 { t.failed = true }
func (t *failTB) Failed() bool          { return t.failed }

// TestShrinkLeavesTheFaultThatFails: a property that fails on any schedule with a lossy
// link shrinks, for every search seed tried, to a schedule of that one fault, at the
// start, of the shortest length, from the first node to the first node: the faults
// drawn before it are removed too, not only those after it (each fault's draws are one
// group of rapid's, which shrinking removes whole while lowering the count).
func TestShrinkLeavesTheFaultThatFails(t *testing.T) {
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
	b.Kinds, b.MaxDriftPPM, b.MaxOffset = DefaultKinds, 0, 0
	saved := map[string]string{}
	for _, name := range []string{"rapid.seed", "rapid.checks", "rapid.nofailfile"} {
		saved[name] = flag.Lookup(name).Value.String()
	}
	defer func() {
		for name, v := range saved {
			flag.Set(name, v)
		}
	}()
	flag.Set("rapid.checks", "1000")
	flag.Set("rapid.nofailfile", "true")
	for seed := 1; seed <= 10; seed++ {
		flag.Set("rapid.seed", strconv.Itoa(seed))
		var last *Scenario
		tb := &failTB{}
		rapid.Check(tb, func(rt *rapid.T) {
			g := Generate(rt, base, b)
			for _, f := range g.Faults {
				if f.Kind == sim.FaultLossy {
					last = g
					rt.Fatalf("lossy")
				}
			}
		})
		if !tb.failed || last == nil {
			t.Fatalf("seed %d: no schedule with a lossy link in 1,000", seed)
		}
		// rapid runs its minimal failing case last.
		if len(last.Faults) != 1 || last.Faults[0].At != 0 || last.Faults[0].Until != tenths {
			t.Errorf("seed %d: shrunk to %d faults, want the lossy link alone at 0s for 100ms:\n%s", seed, len(last.Faults), last.Marshal())
			continue
		}
		// Its ends shrink to the first node (pick's coins all false).
		if f, first := last.Faults[0], base.nodeNames()[0]; f.From[0] != first || f.To[0] != first {
			t.Errorf("seed %d: the lossy link shrank to %v -> %v, want %s -> %s:\n%s", seed, f.From, f.To, first, first, last.Marshal())
		}
	}
}
