package explore

import (
	"slices"
	"testing"
	"time"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/internal/runner"
	"github.com/leasesim/leasesim/result"
	"github.com/leasesim/leasesim/scenarios"
)

// violates is a Shrink predicate: the run has a finding of kind k.
func violates(k checker.Kind) func(*runner.Run) bool {
	return func(r *runner.Run) bool { return r.Check.Violated(k) }
}

// TestShrinkFindsASmallerFailingScenario: a scenario whose seed fails shrinks to a
// smaller one (fewer faults, or shorter ones, or a shorter run) that fails on the same
// seed, expects what it violates and parses back; a predicate nothing smaller meets
// gives nothing.
func TestShrinkFindsASmallerFailingScenario(t *testing.T) {
	sc := load(t, "mutant-lease-no-guard") // three cuts of 30s, 200s; any one cut breaks p1
	const seed = 1
	run, err := runner.RunSeed(sc, seed, runner.Options{})
	if err != nil || !run.Check.Violated(checker.P1) {
		t.Fatalf("seed %d of %s does not violate p1 (%v): the test needs one that does", seed, sc.Name, err)
	}
	opt := ShrinkOptions{MaxRuns: 60, ShrinkTime: 20 * time.Second}
	minimal, mrun, err := Shrink(sc, seed, violates(checker.P1), opt)
	if err != nil || minimal == nil {
		t.Fatalf("Shrink: %v, minimal %v", err, minimal)
	}
	if len(minimal.Faults) >= len(sc.Faults) || minimal.Duration > sc.Duration {
		t.Errorf("not smaller: %d faults over %s (from %d over %s)", len(minimal.Faults), minimal.Duration, len(sc.Faults), sc.Duration)
	}
	if minimal.Name != sc.Name+"-minimal" || minimal.Seeds != (scenarios.Seeds{From: seed, Count: 1}) ||
		minimal.Expect.Properties["p1"] != result.PropViolated {
		t.Errorf("minimal %s, seeds %+v, expects %v", minimal.Name, minimal.Seeds, minimal.Expect.Properties)
	}
	t.Logf("minimal:\n%s", minimal.Marshal())
	again, err := scenarios.Parse(minimal.Marshal(), "minimal.yaml")
	if err != nil {
		t.Fatal(err)
	}
	rerun, err := runner.RunSeed(again, seed, runner.Options{})
	if err != nil || !rerun.Check.Violated(checker.P1) || rerun.Result.TraceHash != mrun.Result.TraceHash {
		t.Errorf("the minimal scenario's text does not fail the same way: %v, p1 %v, trace %s vs %s",
			err, rerun != nil && rerun.Check.Violated(checker.P1), rerun.Result.TraceHash, mrun.Result.TraceHash)
	}
	never := func(*runner.Run) bool { return false }
	if m, _, err := Shrink(sc, seed, never, ShrinkOptions{Budget: 5, MaxRuns: 5}); m != nil || err != nil {
		t.Errorf("a predicate nothing meets shrank to %v (err %v)", m != nil, err)
	}
}

// TestShrinkKeepsTheCallersRapidFlags: a shrink inside a test leaves rapid's flags as
// they were, so that the test's own rapid checks keep their settings.
func TestShrinkKeepsTheCallersRapidFlags(t *testing.T) {
	before := rapidFlagValues()
	sc := load(t, "lease-cut")
	if _, _, err := Shrink(sc, 1, violates(checker.P1), ShrinkOptions{Budget: 3, MaxRuns: 3, Seed: 42}); err != nil {
		t.Fatal(err)
	}
	if after := rapidFlagValues(); !slices.Equal(before, after) {
		t.Errorf("rapid's flags changed: %v, then %v", before, after)
	}
}

func rapidFlagValues() []string {
	var out []string
	for _, name := range rapidFlags {
		out = append(out, name+"="+flagValue(name))
	}
	return out
}
