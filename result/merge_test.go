package result

import (
	"errors"
	"testing"
	"time"

	"github.com/leasesim/leasesim/checker"
)

// TestMergeSuiteForgetsShardVerdicts: a scenario merged from two shards is evaluated
// again over the merged seeds, and the failing seed, reproduce command and bundle of the
// shard whose copy it starts from do not survive into the merged result.
func TestMergeSuiteForgetsShardVerdicts(t *testing.T) {
	file := "merge-me.yaml"
	// The scenario file's only expectation is that p1 holds; gone.yaml cannot be read.
	expectOf := func(f string) (Expect, error) {
		if f != file {
			return Expect{}, errors.New(f + ": no such file")
		}
		return Expect{Properties: map[string]string{"p1": PropHolds}}, nil
	}
	mergeSuite := func(rs []ScenarioResult, runs []RunResult) []ScenarioResult { return MergeSuite(rs, runs, expectOf) }
	stale := uint64(2)
	shard := func(n int) ScenarioResult {
		return ScenarioResult{Scenario: "merge-me", File: file, Protocol: "lease", Seeds: 2, Met: false,
			Expectations: []Expectation{{Key: "p1", Want: "holds", Got: "violated by 1/2 seeds", Seed: 2}},
			FailingSeed:  &stale, Reproduce: "leasesim replay shard-0/failures/merge-me-2", Bundle: "shard-0/failures/merge-me-2"}
	}
	run := func(seed uint64, violated bool) RunResult {
		r := RunResult{Scenario: "merge-me", Protocol: "lease", Seed: seed, Verdict: checker.Ok}
		if violated {
			r.Verdict = checker.Violated
			r.Findings = []checker.Finding{{Kind: checker.P1, Lease: "leader", Holders: []string{"A", "B"}, From: 1, To: 2}}
		}
		return r
	}

	t.Run("now passes", func(t *testing.T) {
		// Seed 2 was re-run in the second shard and held (the runs are keyed by seed).
		runs := []RunResult{run(1, false), run(2, false), run(3, false), run(4, false)}
		got := mergeSuite([]ScenarioResult{shard(0), shard(1)}, runs)
		if len(got) != 1 {
			t.Fatalf("%d results, want 1", len(got))
		}
		m := got[0]
		if !m.Met || m.Seeds != 4 || m.FailingSeed != nil || m.Reproduce != "" || m.Bundle != "" || m.Error != "" {
			t.Errorf("merged: met %v, seeds %d, failing seed %v, reproduce %q, bundle %q, error %q; want met over 4 seeds and nothing stale",
				m.Met, m.Seeds, m.FailingSeed, m.Reproduce, m.Bundle, m.Error)
		}
	})

	t.Run("fails on another seed", func(t *testing.T) {
		runs := []RunResult{run(1, false), run(2, false), run(3, false), run(4, true)}
		m := mergeSuite([]ScenarioResult{shard(0), shard(1)}, runs)[0]
		want := "leasesim run " + file + " --seed 4"
		if m.Met || m.FailingSeed == nil || *m.FailingSeed != 4 || m.Reproduce != want || m.Bundle != "" {
			t.Errorf("merged: met %v, failing seed %v, reproduce %q, bundle %q; want seed 4, %q and no bundle",
				m.Met, m.FailingSeed, m.Reproduce, m.Bundle, want)
		}
		if m.Violations["p1"] != 1 {
			t.Errorf("p1 violated by %d merged seeds, want 1", m.Violations["p1"])
		}
	})

	t.Run("fails on another seed, swarm", func(t *testing.T) {
		// Shards run with --swarm: the merged command must draw the same swarm mix.
		runs := []RunResult{run(1, false), run(2, false), run(3, true), run(4, false)}
		a, b := shard(0), shard(1)
		a.Swarm, b.Swarm = true, true
		m := mergeSuite([]ScenarioResult{a, b}, runs)[0]
		want := "leasesim run " + file + " --seed 3 --swarm"
		if m.Reproduce != want || !m.Swarm {
			t.Errorf("merged swarm shards: reproduce %q, swarm %v; want %q", m.Reproduce, m.Swarm, want)
		}
	})

	t.Run("scenario file gone", func(t *testing.T) {
		gone := shard(0)
		gone.File = "gone.yaml"
		m := mergeSuite([]ScenarioResult{gone, gone}, []RunResult{run(1, false)})[0]
		if m.Met || m.Error == "" || m.Reproduce != "" || m.Bundle != "" || m.FailingSeed != nil {
			t.Errorf("merged without its scenario: met %v, error %q, reproduce %q, bundle %q, failing seed %v",
				m.Met, m.Error, m.Reproduce, m.Bundle, m.FailingSeed)
		}
	})

	t.Run("one shard", func(t *testing.T) {
		// A scenario seen once is kept as its shard wrote it: its bundle is real.
		m := mergeSuite([]ScenarioResult{shard(0)}, []RunResult{run(1, false)})[0]
		if m.Bundle != "shard-0/failures/merge-me-2" || m.Reproduce == "" {
			t.Errorf("single shard result changed: %+v", m)
		}
	})
}

// TestShardsAreJudgedTogether: a wanted violation that one shard shows and the other
// does not is undecided in the other shard alone and met once they are merged; the
// merged result carries the counts of all seeds.
func TestShardsAreJudgedTogether(t *testing.T) {
	file := "rare.yaml"
	e := Expect{Properties: map[string]string{"p1": PropViolated}, Seeds: 4}
	expectOf := func(string) (Expect, error) { return e, nil }
	run := func(seed uint64, violated bool) RunResult {
		r := RunResult{Scenario: "rare", Protocol: "lease", Seed: seed, Verdict: checker.Ok}
		if violated {
			r.Verdict = checker.Violated
			r.Findings = []checker.Finding{{Kind: checker.P1}}
		}
		return r
	}
	shard := func(runs ...RunResult) ScenarioResult {
		r := ScenarioResult{Scenario: "rare", File: file, Protocol: "lease", PlannedSeeds: 4, DurationNs: int64(time.Hour), Runs: runs}
		r.Evaluate(e)
		return r
	}
	a, b := shard(run(1, false), run(2, true)), shard(run(3, false), run(4, false))
	if !a.Met || a.PlannedSeeds != 4 {
		t.Errorf("the shard with the violation: met %v, planned %d; want met, 4 planned", a.Met, a.PlannedSeeds)
	}
	if b.Met || !Undecided(b) || !UndecidedForSeeds(b) || b.FailingSeed != nil {
		t.Errorf("the shard without it: met %v, undecided %v, failing seed %v; want undecided for want of seeds, no seed", b.Met, Undecided(b), b.FailingSeed)
	}
	m := MergeSuite([]ScenarioResult{b, a}, append(b.Runs, a.Runs...), expectOf)[0]
	if !m.Met || Undecided(m) || m.Seeds != 4 || m.PlannedSeeds != 0 {
		t.Errorf("merged: met %v, undecided %v, seeds %d, planned %d; want met over all 4", m.Met, Undecided(m), m.Seeds, m.PlannedSeeds)
	}
	want := Rate{ViolatingSeeds: 1, Seeds: 4, Rate: 0.25}
	if got := m.Rates["p1"]; got.ViolatingSeeds != want.ViolatingSeeds || got.Seeds != want.Seeds || got.Rate != want.Rate || got.PerHour == nil || got.PerHour.Hours != 4 {
		t.Errorf("merged p1 rate %+v, want 1 of 4 seeds over 4 simulated hours", got)
	}
}
