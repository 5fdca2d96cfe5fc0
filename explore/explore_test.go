package explore

import (
	"strings"
	"testing"
	"time"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/internal/runner"
	_ "github.com/leasesim/leasesim/model/all"
	"github.com/leasesim/leasesim/result"
	"github.com/leasesim/leasesim/scenarios"
	"github.com/leasesim/leasesim/scenarios/catalog"
)

func load(t *testing.T, name string) *scenarios.Scenario {
	t.Helper()
	b, err := catalog.Read(name + ".yaml")
	if err != nil {
		t.Fatal(err)
	}
	sc, err := scenarios.Parse(b, name+".yaml")
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// TestSearchFindsAndShrinks: on a protocol with a known bug the search finds a failing
// schedule, shrinks it to one no larger, and returns a minimal scenario that expects the
// properties it violates and replays to the same trace.
func TestSearchFindsAndShrinks(t *testing.T) {
	sc := load(t, "mutant-lease-no-guard")
	schedules, founds := 0, 0
	sum, minimal, found, err := Search(sc, Options{Budget: 30, Seed: 1, ShrinkTime: 20 * time.Second,
		OnSchedule: func() { schedules++ }, OnFound: func() { founds++ }})
	if err != nil {
		t.Fatal(err)
	}
	if !sum.Found || minimal == nil || found == nil {
		t.Fatalf("nothing found in %d schedules: %+v", sum.Explored, sum)
	}
	if schedules != sum.Explored || founds != 1 {
		t.Errorf("OnSchedule called %d times, OnFound %d; want %d and 1", schedules, founds, sum.Explored)
	}
	if sum.FaultsAfter > sum.FaultsBefore || sum.FaultsAfter != len(minimal.Faults) || len(sum.Kinds) == 0 {
		t.Errorf("summary %+v (minimal has %d faults)", sum, len(minimal.Faults))
	}
	if minimal.Name != sc.Name+"-minimal" || len(minimal.Expect.Properties) != len(sum.Kinds) {
		t.Errorf("minimal %s expects %v, kinds %v", minimal.Name, minimal.Expect.Properties, sum.Kinds)
	}
	for _, k := range sum.Kinds {
		if minimal.Expect.Properties[k] != result.PropViolated || !found.Check.Violated(checker.Kind(k)) {
			t.Errorf("kind %s: expected %q, found run violates it: %v", k, minimal.Expect.Properties[k], found.Check.Violated(checker.Kind(k)))
		}
	}
	rerun, transcript, err := Replay(minimal, found)
	if err != nil || rerun.Result.TraceHash != found.Result.TraceHash || len(transcript) == 0 {
		t.Errorf("replay: %v, trace %v vs %v, %d bytes of transcript", err, rerun, found.Result.TraceHash, len(transcript))
	}
}

// TestSearchSameSeedSameSchedules: the search is deterministic in its seed.
func TestSearchSameSeedSameSchedules(t *testing.T) {
	sc := load(t, "mutant-lease-no-guard")
	var sums []Summary
	for range 2 {
		sum, _, _, err := Search(sc, Options{Budget: 30, Seed: 7, ShrinkTime: 20 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		sums = append(sums, sum)
	}
	if sums[0].Explored != sums[1].Explored || sums[0].FaultsAfter != sums[1].FaultsAfter || sums[0].FirstFindingMsg != sums[1].FirstFindingMsg {
		t.Errorf("same seed, different searches: %+v vs %+v", sums[0], sums[1])
	}
}

// TestSearchCorrectProtocol: a correct protocol yields nothing within the budget.
func TestSearchCorrectProtocol(t *testing.T) {
	sum, minimal, found, err := Search(load(t, "lease-cut"), Options{Budget: 10, Seed: 1, ShrinkTime: time.Second})
	if err != nil || sum.Found || minimal != nil || found != nil || sum.Explored != 10 {
		t.Errorf("lease-cut: %+v, minimal %v, err %v; want 10 schedules and nothing found", sum, minimal != nil, err)
	}
}

// TestReplayCatchesNondeterminism: a minimal scenario that does not replay to the found
// trace is reported as a determinism bug.
func TestReplayCatchesNondeterminism(t *testing.T) {
	sc := load(t, "lease-cut")
	found, err := runner.RunSeed(sc, sc.Seeds.From, runner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	found.Result.TraceHash = "not-the-trace"
	if _, _, err := Replay(sc, found); err == nil {
		t.Errorf("Replay accepted a different trace")
	}
}

// TestSearchSwarm: a swarm search draws each schedule's mix, finds the mutant, records
// the mix of the schedule found, and shrinks to a minimal scenario that, written as a
// file and read back, replays to the found trace; the same seed searches the same way.
func TestSearchSwarm(t *testing.T) {
	sc := load(t, "mutant-lease-no-guard")
	var sums []Summary
	for range 2 {
		sum, minimal, found, err := Search(sc, Options{Budget: 30, Seed: 3, ShrinkTime: 20 * time.Second, Swarm: true})
		if err != nil {
			t.Fatal(err)
		}
		if !sum.Found || minimal == nil {
			t.Fatalf("nothing found in %d swarm schedules: %+v", sum.Explored, sum)
		}
		if !strings.HasPrefix(sum.Swarm, "on ") || !strings.Contains(sum.Swarm, " (lengths × ") || !strings.Contains(sum.Swarm, "; network delays × ") {
			t.Errorf("the mix of the schedule found is %q", sum.Swarm)
		}
		for _, f := range minimal.Faults {
			if f.Random != nil {
				t.Errorf("the minimal scenario kept a random entry: %+v", f.Random)
			}
		}
		reread, err := scenarios.Parse(minimal.Marshal(), "minimal.yaml")
		if err != nil {
			t.Fatalf("the minimal scenario does not parse: %v\n%s", err, minimal.Marshal())
		}
		if _, _, err := Replay(reread, found); err != nil {
			t.Errorf("the minimal scenario, written and read back, does not reproduce: %v", err)
		}
		sums = append(sums, sum)
	}
	if sums[0].Explored != sums[1].Explored || sums[0].Swarm != sums[1].Swarm || sums[0].FaultsAfter != sums[1].FaultsAfter {
		t.Errorf("same seed, different swarm searches: %+v vs %+v", sums[0], sums[1])
	}
	plain, _, _, err := Search(sc, Options{Budget: 30, Seed: 3, ShrinkTime: 20 * time.Second})
	if err != nil || plain.Swarm != "" {
		t.Errorf("a search without swarm records the mix %q (err %v)", plain.Swarm, err)
	}
}
