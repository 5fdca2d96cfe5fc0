package runner

import (
	"context"
	"reflect"
	"sync"
	"testing"

	"github.com/leasesim/leasesim/scenarios"
)

// stopAfter is a stop function that lets n seeds start, then says stop.
func stopAfter(n int) func() bool {
	var mu sync.Mutex
	calls := 0
	return func() bool {
		mu.Lock()
		defer mu.Unlock()
		calls++
		return calls > n
	}
}

const otherSeeds = `name: other
protocol: runnertest
holders: 3
duration: 10s
seeds: {from: 100, count: 5}
expect: {max_gap: "<= 10s"}
`

// TestRunRoundsPrefix: a stop that ends the run mid-round leaves each scenario a prefix
// of its seeds, shares them round-robin (counts within one), whatever the number of
// workers, and the runs equal those of RunJobs over the same seeds.
func TestRunRoundsPrefix(t *testing.T) {
	tests := []struct {
		name      string
		max, stop int
		want      []int // seeds per scenario
		spent     bool
	}{
		{"budget mid-round", 0, 7, []int{4, 3}, true},
		{"budget at a round's end", 0, 6, []int{3, 3}, true},
		{"no seed at all", 0, 0, []int{0, 0}, true},
		{"max before the budget", 2, 100, []int{2, 2}, false},
		{"budget before max", 5, 3, []int{2, 1}, true},
	}
	for _, tt := range tests {
		for _, workers := range []int{1, 3} {
			t.Run(tt.name, func(t *testing.T) {
				scs := []*scenarios.Scenario{parse(t, overlapping), parse(t, otherSeeds)}
				got := map[int][]*Run{}
				rd, err := RunRounds(context.Background(), scs, tt.max, stopAfter(tt.stop), SuiteOptions{Workers: workers,
					OnScenario: func(i int, runs []*Run) {
						if _, dup := got[i]; dup {
							t.Errorf("OnScenario(%d) twice", i)
						}
						got[i] = runs
					}})
				if err != nil {
					t.Fatal(err)
				}
				if rd.Spent != tt.spent {
					t.Errorf("Spent = %v, want %v", rd.Spent, tt.spent)
				}
				for i, sc := range scs {
					if rd.Ran[i] != (SeedRange{From: sc.Seeds.From, Count: tt.want[i]}) || rd.Discarded[i] != 0 {
						t.Errorf("%s: ran %+v (discarded %d), want %d seeds from %d", sc.Name, rd.Ran[i], rd.Discarded[i], tt.want[i], sc.Seeds.From)
					}
					runs, ok := got[i]
					if !ok {
						t.Errorf("%s: no OnScenario", sc.Name)
						continue
					}
					// The same seeds run on their own (as with --seeds N) give the same runs.
					ref := *sc
					ref.SetSeedCount(tt.want[i])
					refRuns, err := RunJobs(context.Background(), []*scenarios.Scenario{&ref}, Jobs([]*scenarios.Scenario{&ref}), SuiteOptions{Workers: 1})
					if err != nil {
						t.Fatal(err)
					}
					if !reflect.DeepEqual(traces(runs), traces(refRuns)) {
						t.Errorf("%s: runs %v, want %v", sc.Name, traces(runs), traces(refRuns))
					}
				}
			})
		}
	}
}

func traces(runs []*Run) []string {
	out := []string{}
	for _, r := range runs {
		out = append(out, r.Result.TraceHash)
	}
	return out
}

// TestRunRoundsCancelled: a cancelled context starts nothing and reports no scenario
// (an interruption is not a budget's normal end).
func TestRunRoundsCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	scs := []*scenarios.Scenario{parse(t, overlapping)}
	rd, err := RunRounds(ctx, scs, 0, stopAfter(5), SuiteOptions{
		OnScenario: func(i int, runs []*Run) { t.Errorf("OnScenario(%d) after cancel", i) }})
	if err != context.Canceled || rd.Spent || len(rd.Jobs) != 0 {
		t.Errorf("err %v, spent %v, jobs %d; want context.Canceled, no budget end, nothing run", err, rd.Spent, len(rd.Jobs))
	}
}

// TestPrefixDiscardsAfterAGap: were a seed in the middle not to run, the runs after it
// are left out and counted, never kept with a hole.
func TestPrefixDiscardsAfterAGap(t *testing.T) {
	rd := Rounds{Ran: []SeedRange{{From: 1}}, Discarded: []int{0}}
	var runs []*Run
	for _, s := range []uint64{1, 2, 4, 5} {
		r := &Run{}
		r.Result.Seed = s
		runs = append(runs, r)
	}
	kept := rd.prefix(0, []uint64{2, 1, 5, 4}, runs)
	if rd.Ran[0].Count != 2 || rd.Discarded[0] != 2 || len(kept) != 2 || kept[1].Result.Seed != 2 {
		t.Errorf("ran %+v, discarded %d, kept %d runs; want seeds 1-2 kept and 2 discarded", rd.Ran[0], rd.Discarded[0], len(kept))
	}
}
