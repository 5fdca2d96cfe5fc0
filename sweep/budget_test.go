package sweep

import (
	"context"
	"encoding/json"
	"testing"
)

// stopAfter is a Stop that lets n rounds start and then says stop, counting its calls.
func stopAfter(n int, calls *int) func() bool {
	return func() bool {
		*calls++
		return *calls > n
	}
}

// TestBudgetRunsSeedsInOrder: under Stop, every point runs the same seeds from the
// first, a round at a time, and its record is the one a sweep of that many seeds gives
// (byte for byte, digest included), whatever the round size; MaxSeeds ends it too.
func TestBudgetRunsSeedsInOrder(t *testing.T) {
	sc := smallScenario(t, small)
	fixed := func(seeds int) map[string]string {
		p, err := NewPlan(sc, smallSets, seeds)
		if err != nil {
			t.Fatal(err)
		}
		store, err := OpenStore(t.TempDir(), NewManifest(p, "v1"))
		if err != nil {
			t.Fatal(err)
		}
		defer store.Close()
		res, err := Run(context.Background(), p, store, Options{Workers: 2, Version: "v1"})
		if err != nil {
			t.Fatal(err)
		}
		return encode(t, res.Records)
	}
	for _, c := range []struct {
		name            string
		workers, rounds int
		max             int
		seeds           int
		spent           bool
		calls           int
	}{
		{"one seed a round, stopped after 4", 1, 4, 0, 4, true, 5},
		{"two seeds a round (4 workers, 3 points), stopped after 2", 4, 2, 0, 4, true, 3},
		{"the maximum before the budget", 1, 100, 3, 3, false, 3},
		{"the maximum cuts a round short", 4, 100, 3, 3, false, 2},
		{"spent before the first seed", 1, 0, 0, 0, true, 1},
	} {
		p, err := NewPlan(sc, smallSets, 0)
		if err != nil {
			t.Fatal(err)
		}
		store, err := OpenStore(t.TempDir(), NewManifest(p, "v1"))
		if err != nil {
			t.Fatal(err)
		}
		calls := 0
		res, err := Run(context.Background(), p, store, Options{Workers: c.workers, Version: "v1", Stop: stopAfter(c.rounds, &calls), MaxSeeds: c.max})
		store.Close()
		if err != nil {
			t.Fatal(err)
		}
		if res.Ran.From != 1 || res.Ran.Count != c.seeds || res.Spent != c.spent || calls != c.calls {
			t.Errorf("%s: ran %+v spent %v after %d calls of Stop; want %d seeds from 1, spent %v, %d calls", c.name, res.Ran, res.Spent, calls, c.seeds, c.spent, c.calls)
			continue
		}
		if c.seeds == 0 {
			if len(res.Records) != 0 {
				t.Errorf("%s: %d records without a seed", c.name, len(res.Records))
			}
			continue
		}
		got, want := encode(t, res.Records), fixed(c.seeds)
		if len(got) != 3 {
			t.Errorf("%s: %d points, want 3", c.name, len(got))
		}
		for k, w := range want {
			if got[k] != w {
				t.Errorf("%s: point %s\n got  %s\n want %s (a sweep of --seeds %d)", c.name, k, got[k], w, c.seeds)
			}
		}
	}
}

func encode(t *testing.T, recs []Record) map[string]string {
	out := map[string]string{}
	for _, r := range recs {
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		out[r.Key] = string(b)
	}
	return out
}
