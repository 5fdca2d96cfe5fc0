package suiterun

import (
	"bytes"
	"strings"
	"testing"

	"github.com/leasesim/leasesim/internal/exit"
	"github.com/leasesim/leasesim/internal/load"
	"github.com/leasesim/leasesim/internal/runner"
	"github.com/leasesim/leasesim/result"
)

// TestExitCode: the exit code of a suite's results and what it says on stderr, for one
// machine and for a shard, whose scenarios open only for want of seeds are left to the
// merged verdict.
func TestExitCode(t *testing.T) {
	met := result.ScenarioResult{Met: true}
	needsSeeds := result.ScenarioResult{Expectations: []result.Expectation{{Key: "p1", Undecided: result.UndecidedSeeds}}}
	failed := result.ScenarioResult{}
	noSeed := result.ScenarioResult{Met: true, Budget: &result.SeedBudget{}}
	for _, c := range []struct {
		name        string
		shards      int
		rs          []result.ScenarioResult
		interrupted bool
		want        int
		say         string
	}{
		{"met", 1, []result.ScenarioResult{met}, false, exit.OK, ""},
		{"open for seeds", 1, []result.ScenarioResult{met, needsSeeds}, false, exit.Undecided, "cannot decide some expectations"},
		{"shard leaves it to the merge", 2, []result.ScenarioResult{met, needsSeeds}, false, exit.OK, "1 scenario left to the merged verdict"},
		{"shard still fails", 2, []result.ScenarioResult{needsSeeds, failed}, false, exit.Violated, ""},
		{"no seed within --for", 1, []result.ScenarioResult{noSeed}, false, exit.Undecided, "1 scenario ran no seed within --for 1m"},
		{"interrupted", 1, []result.ScenarioResult{failed}, true, exit.Interrupted, "interrupted: no new run was started; 1 of 2 scenarios finished, their results are in (no --out directory)"},
	} {
		var stderr bytes.Buffer
		s := &Suite{cfg: Config{Shards: c.shards, Stderr: &stderr, For: 60e9}, sources: make([]*load.Source, 2), done: &runner.SuiteOutcome{}}
		if got := s.ExitCode(c.rs, nil, c.interrupted); got != c.want || !strings.Contains(stderr.String(), c.say) {
			t.Errorf("%s: exit %d, want %d; stderr %q, want it to say %q", c.name, got, c.want, stderr.String(), c.say)
		}
	}
}
