package result

import (
	"encoding/json"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
)

const sec = int64(1e9)

func TestParamValue(t *testing.T) {
	for _, c := range []struct {
		in   string
		want float64
		bad  bool
	}{
		{"2s", 2, false}, {"500ms", 0.5, false}, {"1m30s", 90, false}, {"0", 0, false},
		{"0.01", 0.01, false}, {"200", 200, false}, {"-3", -3, false},
		{"", 0, true}, {"fast", 0, true}, {"NaN", 0, true}, {"2 s", 0, true},
	} {
		got, err := ParamValue(c.in)
		if (err != nil) != c.bad || (!c.bad && got != c.want) {
			t.Errorf("ParamValue(%q) = %v, %v", c.in, got, err)
		}
		if c.bad && err != nil && !strings.Contains(err.Error(), "duration nor a number") {
			t.Errorf("ParamValue(%q): error %q does not say what is expected", c.in, err)
		}
	}
}

func TestSweepKey(t *testing.T) {
	if got := SweepKey(map[string]string{"lease": "2s", "guard": "0", "renew": "500ms"}); got != "guard=0,lease=2s,renew=500ms" {
		t.Errorf("SweepKey = %q", got)
	}
}

func TestNewSweepPoint(t *testing.T) {
	var samples []SeedSample
	for i := 1; i <= 20; i++ {
		s := SeedSample{Unavailable: float64(i) / 100, MaxGap: int64(i) * sec, LeaderChanges: i % 2, IssuerMsgsPS: 10}
		switch i {
		case 3:
			s.Violated = []string{"p1", "p2"}
		case 7:
			s.Violated = []string{"p1"}
		case 9:
			s.Unknown = true
		}
		samples = append(samples, s)
	}
	p := NewSweepPoint("sc", map[string]string{"lease": "2s"}, samples)
	if p.Key != "lease=2s" || p.Seeds != 20 || p.ViolatingSeeds != 2 || p.Unknown != 1 ||
		!reflect.DeepEqual(p.Violations, map[string]int{"p1": 2, "p2": 1}) {
		t.Errorf("counts: %+v", p)
	}
	near := func(a, b float64) bool { return a-b < 1e-12 && b-a < 1e-12 }
	if !near(p.UnavailMean, 0.105) || p.UnavailP5 != 0.01 || p.UnavailP50 != 0.10 || p.UnavailP95 != 0.19 || p.UnavailMax != 0.20 {
		t.Errorf("unavailability mean %v p5 %v p50 %v p95 %v max %v", p.UnavailMean, p.UnavailP5, p.UnavailP50, p.UnavailP95, p.UnavailMax)
	}
	if p.GapP50 != 10*sec || p.GapP95 != 19*sec || p.GapMax != 20*sec || p.LeaderChanges != 0.5 || p.IssuerMsgsPerSec != 10 {
		t.Errorf("gaps %d %d %d, leader changes %v, msgs %v", p.GapP50, p.GapP95, p.GapMax, p.LeaderChanges, p.IssuerMsgsPerSec)
	}
	if empty := NewSweepPoint("sc", map[string]string{}, nil); empty.Seeds != 0 || empty.UnavailMean != 0 {
		t.Errorf("no samples: %+v", empty)
	}
}

func point(lease, guard string, seeds int) SweepPoint {
	set := map[string]string{"lease": lease, "guard": guard}
	return SweepPoint{Scenario: "s", Set: set, Key: SweepKey(set), Seeds: seeds}
}

func keys(ps []SweepPoint) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Key)
	}
	return out
}

func TestMergePoints(t *testing.T) {
	shard0 := []SweepPoint{point("10s", "0", 50), point("2s", "0", 100)}
	shard1 := []SweepPoint{point("10s", "0", 100), point("500ms", "1s", 100), point("500ms", "200ms", 100)}
	rerun := []SweepPoint{point("2s", "0", 40)}
	got := MergePoints([]string{"lease", "guard"}, shard0, shard1, rerun)
	// Numeric order, not string order: 500ms < 2s < 10s, and 200ms < 1s.
	want := []string{"guard=200ms,lease=500ms", "guard=1s,lease=500ms", "guard=0,lease=2s", "guard=0,lease=10s"}
	if !slices.Equal(keys(got), want) {
		t.Errorf("order %v, want %v", keys(got), want)
	}
	// Where shards overlap, the point with the most seeds wins.
	for _, p := range got {
		if p.Seeds != 100 {
			t.Errorf("%s kept %d seeds, want 100", p.Key, p.Seeds)
		}
	}
	// The merge does not depend on the order of the files.
	if again := MergePoints([]string{"lease", "guard"}, rerun, shard1, shard0); !slices.Equal(keys(again), keys(got)) {
		t.Errorf("merge depends on file order: %v", keys(again))
	}
}

// TestSweepPointRates: a point carries, per property and for any property, its violating
// seeds of its seeds, the rate and one-sided Clopper–Pearson bounds at 95%, in JSON too.
func TestSweepPointRates(t *testing.T) {
	var samples []SeedSample
	for i := 0; i < 20; i++ {
		s := SeedSample{}
		switch i {
		case 3:
			s.Violated = []string{"p1", "p2"}
		case 7:
			s.Violated = []string{"p1"}
		}
		samples = append(samples, s)
	}
	p := NewSweepPoint("sc", map[string]string{"lease": "2s"}, samples)
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-4 }
	for _, c := range []struct {
		prop         string
		k            int
		lower, upper float64
	}{
		// 0 of 20: upper 1−0.05^(1/20); 1 of 20: [0.0026, 0.2161]; 2 of 20: [0.0181, 0.2826] (binomial tails, computed apart).
		{"p3", 0, 0, 0.1391},
		{"p4", 0, 0, 0.1391},
		{"p2", 1, 0.0026, 0.2161},
		{"p1", 2, 0.0181, 0.2826},
		{AnyProperty, 2, 0.0181, 0.2826},
	} {
		r, ok := p.Rates[c.prop]
		if !ok || r.ViolatingSeeds != c.k || r.Seeds != 20 || r.Rate != float64(c.k)/20 || r.Confidence != 0.95 ||
			!near(r.Lower, c.lower) || !near(r.Upper, c.upper) {
			t.Errorf("%s: %+v (present %v); want %d of 20, bounds [%.4f, %.4f] at 0.95", c.prop, r, ok, c.k, c.lower, c.upper)
		}
	}
	b, _ := json.Marshal(p)
	if want := `"rates":{"any":{"violating_seeds":2,"seeds":20,"rate":0.1,"lower":0.01`; !strings.Contains(string(b), want) {
		t.Errorf("JSON %s lacks %s", b, want)
	}
	if bad := SweepRates(SweepPoint{Error: "invalid"}); bad != nil {
		t.Errorf("a point that did not run has rates %v", bad)
	}
}
