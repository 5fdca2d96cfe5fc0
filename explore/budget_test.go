package explore

import (
	"testing"
	"time"
)

// stopAfter lets n schedules start, then says stop.
func stopAfter(n int) func() bool {
	calls := 0
	return func() bool {
		calls++
		return calls > n
	}
}

// TestSearchStop: a search that Stop ends tries the first schedules of its seed, the
// same ones --budget tries: stopped just before the schedule that fails, it finds
// nothing in one fewer; given room, it finds the same first failing schedule.
func TestSearchStop(t *testing.T) {
	sc := load(t, "mutant-lease-no-guard")
	ref, _, _, err := Search(sc, Options{Budget: 30, Seed: 3, ShrinkTime: time.Second})
	if err != nil || !ref.Found {
		t.Fatalf("no finding to stop before: %+v, %v", ref, err)
	}
	k := ref.Explored
	t.Logf("the first failing schedule of seed 3 is number %d", k)
	tests := []struct {
		name  string
		stop  int
		found bool
	}{
		{"stopped before the failing schedule", k - 1, false},
		{"room to spare", k + 5, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			schedules := 0
			sum, minimal, _, err := Search(sc, Options{Seed: 3, ShrinkTime: time.Second, Stop: stopAfter(tt.stop),
				OnSchedule: func() { schedules++ }})
			if err != nil {
				t.Fatal(err)
			}
			if sum.Found != tt.found || (minimal != nil) != tt.found || sum.BudgetSpent == tt.found {
				t.Fatalf("found %v (spent %v), want %v: %+v", sum.Found, sum.BudgetSpent, tt.found, sum)
			}
			if !tt.found && (sum.Explored != k-1 || schedules != k-1) {
				t.Errorf("explored %d (%d schedules started), want %d", sum.Explored, schedules, k-1)
			}
			if tt.found && (sum.Explored != k || sum.FaultsBefore != ref.FaultsBefore || sum.DurationBefore != ref.DurationBefore) {
				t.Errorf("found after %d schedules (%d faults, %s), want %d (%d, %s) as with --budget",
					sum.Explored, sum.FaultsBefore, sum.DurationBefore, k, ref.FaultsBefore, ref.DurationBefore)
			}
		})
	}
}
