package runner

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/leasesim/leasesim/result"
	"github.com/leasesim/leasesim/scenarios"
)

// TestSuiteRun: every scenario is summarised once, the panicking one marked with its
// seeds and the first panic, OnStep hears every run, OnFinished every scenario, and
// Ordered gives the results in the order the scenarios were given.
func TestSuiteRun(t *testing.T) {
	scs := []*scenarios.Scenario{parse(t, panicking), parse(t, overlapping)}
	steps, finished := 0, 0
	s := &SuiteRun{Scenarios: scs, Files: []string{"a.yaml", "b.yaml"}, Options: SuiteOptions{Workers: 2},
		OnStep:     func(bool) { steps++ },
		OnFinished: func(rs []result.ScenarioResult) { finished = len(rs) }}
	out, err := s.Run(context.Background(), Jobs(scs))
	if !errors.As(err, new(*InternalError)) {
		t.Errorf("Run error %v, want the first internal error", err)
	}
	if steps != 43 || finished != 2 || len(out.Finished) != 2 {
		t.Errorf("%d steps, OnFinished last with %d, %d finished: want 43 steps (3 + 40 seeds) and 2 scenarios", steps, finished, len(out.Finished))
	}
	rs := s.Ordered(out.Finished)
	if len(rs) != 2 || rs[0].File != "a.yaml" || rs[1].File != "b.yaml" {
		t.Fatalf("Ordered: %+v, want a.yaml then b.yaml", rs)
	}
	p := rs[0]
	if p.Met || p.FailingSeed == nil || *p.FailingSeed != 1 || !strings.HasPrefix(p.Error, "internal error (please report it): seeds 1, 2, 3 panicked: ") {
		t.Errorf("panicking scenario: met %v, failing seed %v, error %q; want unmet, seed 1, the seeds that panicked", p.Met, p.FailingSeed, p.Error)
	}
	if out.Panics.Count() != 3 || out.Panics.First(2).Seed != 1 || out.Panics.First(2).Scenario != "panicking" {
		t.Errorf("panics: %d, the first %v; want 3, seed 1 of panicking", out.Panics.Count(), out.Panics.First(2))
	}
	if out.Elapsed["overlapping"] <= 0 {
		t.Errorf("elapsed %v: want the time of overlapping's seeds", out.Elapsed)
	}
}

// TestSuiteRunBudget: under a budget every finished scenario says which seeds ran, and
// one that got none says the budget ran out.
func TestSuiteRunBudget(t *testing.T) {
	scs := []*scenarios.Scenario{parse(t, overlapping), parse(t, otherSeeds)}
	s := &SuiteRun{Scenarios: scs, Files: []string{"a.yaml", "b.yaml"}, For: 1e9, ForText: "1s", Spent: stopAfter(1), Options: SuiteOptions{Workers: 1}}
	out, err := s.Run(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	rs := s.Ordered(out.Finished)
	if len(rs) != 2 {
		t.Fatalf("%d results, want 2", len(rs))
	}
	if b := rs[0].Budget; b == nil || b.LastSeed == nil || *b.LastSeed != b.FirstSeed || b.For != "1s" || b.StoppedBy != result.StoppedByBudget {
		t.Errorf("first scenario's budget %+v: want its first seed only, stopped by the budget", b)
	}
	if b := rs[1].Budget; b == nil || b.LastSeed != nil || !rs[1].RanNoSeed() || !strings.HasPrefix(rs[1].Error, "no seed ran within --for 1s") {
		t.Errorf("second scenario: budget %+v, error %q; want no seed ran", b, rs[1].Error)
	}
}

func TestPanicsFirst(t *testing.T) {
	ie := func(seed uint64) *InternalError { return &InternalError{Seed: seed} }
	for _, c := range []struct {
		name  string
		p     Panics
		n     int
		count int
		first uint64 // 0: none
	}{
		{"none", Panics{}, 2, 0, 0},
		{"the first scenario's lowest seed", Panics{1: {ie(7), ie(3)}, 0: {ie(9), ie(5)}}, 2, 4, 5},
		{"only later scenarios", Panics{1: {ie(4)}}, 2, 1, 4},
		{"beyond n", Panics{2: {ie(4)}}, 2, 1, 0},
	} {
		got := c.p.First(c.n)
		if c.p.Count() != c.count || (got == nil) != (c.first == 0) || (got != nil && got.Seed != c.first) {
			t.Errorf("%s: Count %d, First %v; want %d, seed %d", c.name, c.p.Count(), got, c.count, c.first)
		}
	}
}

// TestSuiteRunBudgetIsNotAShard: a wanted violation that the seeds a budget ran do not
// show is undecided for want of the scenario's own seeds, not left to a merge of
// shards that do not exist.
func TestSuiteRunBudgetIsNotAShard(t *testing.T) {
	lonely := parse(t, "name: lonely\nprotocol: runnertest\nholders: 1\nduration: 10s\nseeds: 40\nexpect: {p1: violated}\n")
	s := &SuiteRun{Scenarios: []*scenarios.Scenario{lonely}, Files: []string{"a.yaml"}, For: 1e9, ForText: "1s", Spent: stopAfter(1), Options: SuiteOptions{Workers: 1}}
	out, err := s.Run(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	rs := s.Ordered(out.Finished)
	if len(rs) != 1 || len(rs[0].Expectations) == 0 {
		t.Fatalf("results %+v, want one with its expectations", rs)
	}
	r := rs[0]
	e := r.Expectations[0]
	if r.PlannedSeeds != 0 || e.Undecided != result.UndecidedSeeds || !strings.Contains(e.Got, "the scenario's own 40 seeds decide it") || strings.Contains(e.Got, "shards") {
		t.Errorf("planned %d, expectation %+v: want undecided for the scenario's own 40 seeds, no shards", r.PlannedSeeds, e)
	}
}
