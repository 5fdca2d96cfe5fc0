package all_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/internal/modeltest"
	"github.com/leasesim/leasesim/model"
	"github.com/leasesim/leasesim/scenarios"
	"github.com/leasesim/leasesim/scenarios/catalog"
	"github.com/leasesim/leasesim/sim"
)

// Trials and budgets of the mutant detection tests: each trial runs up to a budget of
// seeds, from its own seed range; the targeted scenario has a small budget, the random
// schedules a larger one. Under the race detector (ten times slower) the test runs the
// first 3 and 2 trials; CI runs it in full without it.
const (
	trials       = 10
	budget       = 20
	randomTrials = 5
	randomBudget = 1000
)

// trialCounts returns how many targeted and random trials to run.
func trialCounts() (int, int) {
	if modeltest.Race() && !modeltest.Long() {
		return 3, 2
	}
	return trials, randomTrials
}

// TestMutantsAreCaught checks every mutant of every registered protocol: it has a
// catalog scenario (mutant-<protocol>-<mutant>), the checker finds the property it
// breaks within the seed budget in every trial, and the correct protocol under the same
// schedule keeps that property — so the finding is the mutant's doing. The table it logs
// (go test -v -run TestMutantsAreCaught ./model/all/) is docs/mutants.md, which the test
// compares with what it measured (-update rewrites it; see mutanttable_test.go).
func TestMutantsAreCaught(t *testing.T) {
	nTrials, nRandom := trialCounts()
	var table strings.Builder
	fmt.Fprintf(&table, "%-10s %-40s %-5s %-16s %-12s %-16s %s\n", "protocol", "mutant", "kind", "median (target)", "every trial", "median (random)", "every trial")
	var rows []mutantRow
	total := 0
	for _, p := range model.Protocols() {
		total += len(p.Mutants)
		for _, mu := range p.Mutants {
			name := "mutant-" + p.Name + "-" + mu.Name
			t.Run(name, func(t *testing.T) {
				if _, err := catalog.Read(name + ".yaml"); err != nil {
					t.Fatalf("mutant %s of %s has no catalog scenario %s.yaml", mu.Name, p.Name, name)
				}
				sc := modeltest.Catalog(t, name)
				kind := checker.Kind(mu.Breaks)
				d := modeltest.Detect(t, sc, kind, nTrials, budget)
				if !d.Every {
					t.Errorf("%s not caught in every trial: seeds to detection per trial %v (0 = not within %d seeds)", name, d.SeedsToDetection, budget)
				}
				// The same mutant under random schedules of every fault kind, with the
				// scenario's clocks and parameters: no hand-placed fault.
				rnd := randomized(sc)
				rd := modeltest.Detect(t, rnd, kind, nRandom, randomBudget)
				if !rd.Every {
					t.Errorf("%s under random faults not caught in every trial: %v (0 = not within %d seeds)", name, rd.SeedsToDetection, randomBudget)
				}
				fmt.Fprintf(&table, "%-10s %-40s %-5s %-16v %-12v %-16v %v\n", p.Name, mu.Name, kind, d.Median, d.Every, rd.Median, rd.Every)
				rows = append(rows, mutantRow{Protocol: p.Name, Mutant: mu.Name, Finding: strings.ToUpper(string(kind)),
					Scenario: name + ".yaml", Doc: mu.Doc, Targeted: d, Random: rd})
				correct := modeltest.Run(t, modeltest.Without(sc), sc.SeedList())
				for _, r := range correct {
					if r.Check.Violated(kind) {
						t.Errorf("the correct %s also violates %s under this schedule (seed %d): the scenario does not isolate the mutant", p.Name, kind, r.Result.Seed)
						break
					}
				}
			})
		}
	}
	t.Logf("\n%s", table.String())
	// The generated table covers every mutant: compare it only when every subtest ran
	// and passed (a -run pattern narrower than the test, or a failure reported above,
	// leaves it incomplete).
	if len(rows) == total && !t.Failed() {
		checkMutantTable(t, rows, nTrials == trials && nRandom == randomTrials)
	} else if *update {
		t.Errorf("-update needs every mutant measured and caught: %d of %d were", len(rows), total)
	}
}

// randomized replaces a scenario's faults by a random schedule of every fault kind over
// its whole run: a fault every 10s on average, lasting 6s on average.
func randomized(sc *scenarios.Scenario) *scenarios.Scenario {
	c := *sc
	c.Name = sc.Name + "-random"
	c.Faults = []scenarios.Fault{{Kind: sim.FaultRandom, Random: &scenarios.RandomFaults{
		Kinds: []sim.FaultKind{sim.FaultPartition, sim.FaultCut, sim.FaultCutOneway, sim.FaultIsolate,
			sim.FaultCrash, sim.FaultIssuerCrash, sim.FaultPause, sim.FaultSlow, sim.FaultLossy, sim.FaultReorder},
		MeanGap: 10 * time.Second, MeanLength: 6 * time.Second}}}
	return &c
}
