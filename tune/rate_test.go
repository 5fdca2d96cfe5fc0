package tune

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// fakeRuns stands in for the runner: candidate i's seed s (0-based, in order) violates
// when violates[i](s); every batch asked for is recorded.
type fakeRuns struct {
	points   []*Point
	violates []func(s int) bool
	batches  [][]int // per candidate, the sizes of the batches asked for
}

func (f *fakeRuns) seeds(i, from, count int) []sample {
	out := make([]sample, count)
	for k := range out {
		out[k] = sample{violated: f.violates[i](from + k), unavail: 0.01, msgs: 1}
	}
	return out
}

func (f *fakeRuns) run(_ context.Context, i, count int) ([]sample, error) {
	f.batches[i] = append(f.batches[i], count)
	return f.seeds(i, f.points[i].Seeds, count), nil
}

// newFake makes candidates with the given guard/bound ratios and mean unavailability
// (their order of preference), each having run a first batch of first seeds.
func newFake(first int, cands ...struct {
	gob, mean float64
	violates  func(int) bool
}) *fakeRuns {
	f := &fakeRuns{batches: make([][]int, len(cands))}
	for i, c := range cands {
		f.violates = append(f.violates, c.violates)
		p := &Point{Lease: fmt.Sprintf("%ds", i+1), lease: time.Duration(i+1) * time.Second, GuardOverBound: c.gob}
		p.add(f.seeds(i, 0, first))
		p.UnavailMean = c.mean // the order of preference, as the first batch measured it
		f.points = append(f.points, p)
	}
	return f
}

var (
	never  = func(int) bool { return false }
	always = func(int) bool { return true }
	tenth  = func(s int) bool { return s%10 == 9 }
	third  = func(s int) bool { return s%3 == 2 }
	twenty = func(s int) bool { return s%20 == 19 }
)

// TestDecide: one candidate, seeds doubled (never past what would decide it, nor past
// the cap) until the target decides it.
func TestDecide(t *testing.T) {
	for _, c := range []struct {
		name      string
		violates  func(int) bool
		target    RateTarget
		decision  string
		seeds     int
		batches   string
		violating int
	}{
		// 0 of n: the upper bound 1−0.05^(1/n) is at most 10% from n = 29 on (28: 10.14%).
		{"qualifies: no violation, 29 seeds", never, RateTarget{0.1, 0.95, 1000}, Qualifies, 29, "[5 10 9]", 0},
		// 5 of 5: the lower bound 0.05^(1/5) = 55% is above 10% at once.
		{"rejected at once", always, RateTarget{0.1, 0.95, 1000}, Rejected, 5, "[]", 5},
		// One in ten against a target of 1%: 0 of 5, then 1 of 10 (which would be decided
		// at 14 seeds if it stayed at 10%), 1 of 14, and 2 of 24: lower bound 1.5% > 1%.
		{"rejected after more seeds", tenth, RateTarget{0.01, 0.95, 1000}, Rejected, 24, "[5 4 10]", 2},
		// One in twenty against 10%: still straddling at the cap of 40.
		{"undecided at the cap", twenty, RateTarget{0.1, 0.95, 40}, Undecided, 40, "[5 10 20]", 2},
		// Exactly the target: no number of seeds decides it; the cap ends it.
		{"at the target: undecided", tenth, RateTarget{0.1, 0.95, 100}, Undecided, 100, "[5 10 20 40 20]", 10},
		// 99% confidence needs more seeds than 95%: 0 of n ≤ 10% from n = 44.
		{"higher confidence, more seeds", never, RateTarget{0.1, 0.99, 1000}, Qualifies, 44, "[5 10 20 4]", 0},
	} {
		f := newFake(5, struct {
			gob, mean float64
			violates  func(int) bool
		}{1, 0.01, c.violates})
		p := f.points[0]
		if err := c.target.decide(context.Background(), p, 0, f.run); err != nil {
			t.Fatal(err)
		}
		v := p.Rate
		if v == nil || v.Decision != c.decision || v.Seeds != c.seeds || p.Seeds != c.seeds || v.ViolatingSeeds != c.violating || fmt.Sprint(f.batches[0]) != c.batches && !(c.batches == "[]" && f.batches[0] == nil) {
			t.Errorf("%s: verdict %+v after batches %v; want %s after %d seeds (%d violating), batches %s", c.name, v, f.batches[0], c.decision, c.seeds, c.violating, c.batches)
			continue
		}
		switch v.Decision {
		case Qualifies:
			if v.Upper > c.target.MaxRate {
				t.Errorf("%s: qualifies with upper bound %v above %v", c.name, v.Upper, c.target.MaxRate)
			}
		case Rejected:
			if v.Lower <= c.target.MaxRate {
				t.Errorf("%s: rejected with lower bound %v not above %v", c.name, v.Lower, c.target.MaxRate)
			}
		}
	}
}

type cand = struct {
	gob, mean float64
	violates  func(int) bool
}

// TestDecideAll: candidates are decided in the order of preference; the first that
// qualifies is recommended and those after it run no more seeds; when none qualifies
// the result says whether one was undecided and which came closest.
func TestDecideAll(t *testing.T) {
	target := RateTarget{MaxRate: 0.1, Confidence: 0.95, MaxSeeds: 40}
	for _, c := range []struct {
		name      string
		cands     []cand
		rec       int // index of the recommendation, -1 for none
		undecided bool
		closest   int // without a recommendation, -1 for none
		decisions string
	}{
		{"the first eligible that qualifies", []cand{{0.75, 0.001, never}, {1, 0.02, always}, {1, 0.03, never}, {2, 0.04, never}}, 2, false, -1,
			"[ineligible rejected qualifies not needed]"},
		{"the least unavailable wins, not the list order", []cand{{1, 0.05, never}, {1.5, 0.01, never}}, 1, false, -1,
			"[not needed qualifies]"},
		{"none qualifies: all rejected", []cand{{1, 0.01, always}, {1, 0.02, third}}, -1, false, 1,
			"[rejected rejected]"},
		{"none qualifies: one undecided at the cap", []cand{{1, 0.01, always}, {1, 0.02, twenty}}, -1, true, 1,
			"[rejected undecided]"},
		{"none eligible", []cand{{0.5, 0.01, never}, {0.75, 0.02, never}}, -1, false, -1,
			"[ineligible ineligible]"},
	} {
		f := newFake(5, c.cands...)
		rec, err := target.decideAll(context.Background(), f.points, 0, f.run)
		if err != nil {
			t.Fatal(err)
		}
		var decisions []string
		for i, p := range f.points {
			decisions = append(decisions, p.Rate.Decision)
			if (p.Rate.Decision == NotNeeded || p.Rate.Decision == Ineligible) && (len(f.batches[i]) > 0 || p.Seeds != 5) {
				t.Errorf("%s: candidate %d (%s) ran more seeds: %v", c.name, i, p.Rate.Decision, f.batches[i])
			}
		}
		if got := strings.Join(decisions, " "); "["+got+"]" != c.decisions {
			t.Errorf("%s: decisions [%s], want %s", c.name, got, c.decisions)
		}
		want := (*Point)(nil)
		if c.rec >= 0 {
			want = f.points[c.rec]
		}
		if rec != want {
			t.Errorf("%s: recommended %+v, want candidate %d", c.name, rec, c.rec)
		}
		if rec == nil {
			wantClosest := (*Point)(nil)
			if c.closest >= 0 {
				wantClosest = f.points[c.closest]
			}
			if got := closest(f.points); got != wantClosest || undecided(f.points) != c.undecided {
				t.Errorf("%s: closest %+v undecided %v; want candidate %d, %v", c.name, got, undecided(f.points), c.closest, c.undecided)
			}
		}
	}
}

// TestDecideAllCancelled: a cancelled search stops with the context's error.
func TestDecideAllCancelled(t *testing.T) {
	f := newFake(5, cand{1, 0.01, never})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	run := func(ctx context.Context, i, n int) ([]sample, error) { return nil, ctx.Err() }
	if _, err := (RateTarget{0.1, 0.95, 100}).decideAll(ctx, f.points, 0, run); !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
}

// TestWriteRates: the text names each verdict with its counts and bound, and without a
// recommendation the closest candidate and the seeds that would decide it.
func TestWriteRates(t *testing.T) {
	target := RateTarget{MaxRate: 1e-4, Confidence: 0.95, MaxSeeds: 100000}
	f := newFake(20, cand{1, 0.01, never})
	if err := target.decide(context.Background(), f.points[0], 0, f.run); err != nil {
		t.Fatal(err)
	}
	res := &Result{Scenario: "s", Rate: &target, Points: f.points, Recommended: f.points[0]}
	var b bytes.Buffer
	res.writeRates(&b)
	res.writeRecommendation(&b, Files{})
	for _, want := range []string{
		"candidate lease=1s renew= guard=: 0 of 29,956 seeds violated, rate ≤ 0.010% at 95%: qualifies",
		"violation rate: 0 of 29,956 seeds violated p1, p2 or p4: at most 0.010% per seed at 95% (target 0.010%)",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("the text lacks %q:\n%s", want, b.String())
		}
	}
	capped := RateTarget{MaxRate: 1e-4, Confidence: 0.95, MaxSeeds: 1000}
	f = newFake(20, cand{1, 0.01, never})
	rec, _ := capped.decideAll(context.Background(), f.points, 0, f.run)
	res = &Result{Scenario: "s", Rate: &capped, Points: f.points, Recommended: rec, Undecided: undecided(f.points), Closest: closest(f.points)}
	b.Reset()
	res.writeRecommendation(&b, Files{})
	for _, want := range []string{
		"undecided: no candidate qualifies yet, and some are undecided after 1,000 seeds (--max-seeds)",
		"closest: lease=1s renew= guard=, 0 of 1,000 seeds violated, at most 0.30% per seed at 95%",
		"about 29,956 seeds in all would decide it",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("the text lacks %q:\n%s", want, b.String())
		}
	}
}
