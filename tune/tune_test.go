package tune

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/leasesim/leasesim/internal/modeltest"
	"github.com/leasesim/leasesim/model"
	_ "github.com/leasesim/leasesim/model/all"
	"github.com/leasesim/leasesim/model/lease"
	"github.com/leasesim/leasesim/result"
)

func TestRecommend(t *testing.T) {
	pt := func(ls time.Duration, gob, mean, p99 float64, safe bool) *Point {
		return &Point{Lease: ls.String(), lease: ls, GuardOverBound: gob, UnavailMean: mean, UnavailP99: p99, Safe: safe}
	}
	a := pt(time.Second, 1, 0.05, 0.08, true)
	b := pt(2*time.Second, 1.5, 0.02, 0.04, true)
	unsafe := pt(3*time.Second, 2, 0.001, 0.002, false)
	below := pt(5*time.Second, 0.75, 0.001, 0.002, true)
	c := pt(10*time.Second, 1, 0.03, 0.06, true)
	tie := pt(4*time.Second, 1, 0.02, 0.04, true)
	for _, tc := range []struct {
		name   string
		points []*Point
		target float64
		want   *Point
	}{
		{"least mean unavailability", []*Point{a, b, c}, 0, b},
		{"unsafe and below-bound candidates never win", []*Point{a, unsafe, below}, 0, a},
		{"a tie goes to the longer lease", []*Point{b, tie}, 0, tie},
		{"target: the longest lease that meets it", []*Point{a, b, c}, 0.07, c},
		{"target met by none", []*Point{a, b, c}, 0.01, nil},
		{"nothing safe", []*Point{unsafe, below}, 0, nil},
	} {
		if got := recommend(tc.points, tc.target); got != tc.want {
			t.Errorf("%s: got %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

func TestParsePPM(t *testing.T) {
	for _, c := range []struct {
		in   string
		want float64
		bad  bool
	}{
		{"200ppm", 200, false}, {"200", 200, false}, {" 50ppm ", 50, false}, {"0", 0, false},
		{"-1", 0, true}, {"1000000", 0, true}, {"NaN", 0, true}, {"fast", 0, true}, {"", 0, true},
	} {
		got, err := ParsePPM(c.in)
		if (err != nil) != c.bad || got != c.want {
			t.Errorf("ParsePPM(%q) = %v, %v", c.in, got, err)
		}
	}
}

func TestParseLeases(t *testing.T) {
	got, err := ParseLeases("1s, 2s,500ms")
	if err != nil || len(got) != 3 || got[2] != 500*time.Millisecond {
		t.Errorf("ParseLeases = %v, %v", got, err)
	}
	for _, bad := range []string{"", "1s,", "0s", "-1s", "fast"} {
		if _, err := ParseLeases(bad); err == nil {
			t.Errorf("ParseLeases(%q): no error", bad)
		}
	}
}

// TestCheckFamily: tune takes a protocol with a GuardBound and lease, renew and guard
// duration parameters, and names what a protocol lacks.
func TestCheckFamily(t *testing.T) {
	if err := CheckFamily(modeltest.Catalog(t, "heartbeat-cut")); err == nil || !strings.Contains(err.Error(), "protocol heartbeat declares no GuardBound") {
		t.Errorf("heartbeat: %v", err)
	}
	for _, name := range []string{"tune-drift", "fencing-pause"} {
		if err := CheckFamily(modeltest.Catalog(t, name)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	noGuard := &model.Protocol{Name: "tune-test-no-guard", Params: []model.Param{
		{Name: "lease", Kind: model.Duration, Default: "2s"}, {Name: "renew", Kind: model.Duration, Default: "500ms"}},
		GuardBound: func(int64, float64, int64, model.Values) int64 { return 0 }}
	if _, ok := model.Lookup(noGuard.Name); !ok { // -count=2 runs this twice
		model.Register(noGuard)
	}
	sc := modeltest.Catalog(t, "tune-drift")
	sc.Protocol = noGuard.Name
	if err := CheckFamily(sc); err == nil || !strings.Contains(err.Error(), `has no duration parameter "guard"`) {
		t.Errorf("a protocol without guard: %v", err)
	}
}

// TestSearch: on the drift scenario every candidate at or above the bound is safe, the
// recommendation covers the bound, and the scenario files carry the parameters and the
// worst clocks.
func TestSearch(t *testing.T) {
	sc := modeltest.Catalog(t, "tune-drift")
	res, err := Search(context.Background(), sc, Options{MaxDriftPPM: 200, Seeds: 3, Leases: []time.Duration{2 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Points) != len(factors) {
		t.Fatalf("%d candidates, want %d", len(res.Points), len(factors))
	}
	bound := time.Duration(lease.MinGuard(int64(2*time.Second), 200, 0, "period"))
	for _, p := range res.Points {
		if p.guard < bound && p.GuardOverBound >= 1 || p.guard >= bound && p.GuardOverBound < 1 {
			t.Errorf("%s: guard/bound %.2f, guard %s, bound %s", p.Guard, p.GuardOverBound, p.guard, bound)
		}
		if p.GuardOverBound >= 1 && !p.Safe {
			t.Errorf("guard %s at or above the bound %s violated", p.Guard, bound)
		}
	}
	rec := res.Recommended
	if rec == nil || rec.GuardOverBound < 1 || !rec.Safe {
		t.Fatalf("recommended %+v", rec)
	}
	r := res.RecommendedScenario
	if r == nil || r.Params["guard"] != rec.Guard || r.Params["lease"] != "2s" || r.Clocks["Q"].DriftPPM != 200 || r.Clocks["A"].DriftPPM != -200 {
		t.Errorf("recommended scenario %+v", r)
	}
	if b := res.BelowBound; b == nil || b.Values.Duration("guard") >= int64(bound) || b.Expect.Properties["p1"] != result.PropViolated {
		t.Errorf("below-bound scenario %+v", b)
	}
	var out bytes.Buffer
	res.WriteText(&out, Files{Recommended: "rec.yaml"})
	if !strings.Contains(out.String(), "recommended: lease 2s, renew 500ms, guard "+rec.Guard) || !strings.Contains(out.String(), "leasesim suite rec.yaml") {
		t.Errorf("text:\n%s", out.String())
	}
}

// TestSearchCancelled: a cancelled search returns the context's error, no result.
func TestSearchCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err := Search(ctx, modeltest.Catalog(t, "tune-drift"), Options{MaxDriftPPM: 200, Seeds: 1, Leases: []time.Duration{time.Second}})
	if err == nil || res != nil {
		t.Errorf("cancelled search: %v, %v", res, err)
	}
}
