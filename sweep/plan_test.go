package sweep

import (
	"errors"
	"strings"
	"testing"

	"github.com/leasesim/leasesim/internal/modeltest"
	_ "github.com/leasesim/leasesim/model/all"
	"github.com/leasesim/leasesim/scenarios"
	"github.com/leasesim/leasesim/scenarios/catalog"
)

func TestNewPlan(t *testing.T) {
	base := modeltest.Catalog(t, "sweep-lease-length")
	p, err := NewPlan(base, []string{"lease=1s,2s", "guard=0,100ms", "renew=lease/4", "loss=0.02", "drift_ppm=50", "mean_gap=10s"}, 3)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(p.Swept, ",") != "lease,guard,loss,drift_ppm,mean_gap" {
		t.Errorf("swept %v", p.Swept)
	}
	wantKeys := []string{
		"drift_ppm=50,guard=0,lease=1s,loss=0.02,mean_gap=10s,renew=250ms",
		"drift_ppm=50,guard=100ms,lease=1s,loss=0.02,mean_gap=10s,renew=250ms",
		"drift_ppm=50,guard=0,lease=2s,loss=0.02,mean_gap=10s,renew=500ms",
		"drift_ppm=50,guard=100ms,lease=2s,loss=0.02,mean_gap=10s,renew=500ms",
	}
	if len(p.Points) != len(wantKeys) {
		t.Fatalf("%d points, want %d", len(p.Points), len(wantKeys))
	}
	for i, pt := range p.Points {
		if pt.Key != wantKeys[i] || pt.Index != i {
			t.Errorf("point %d: %d %q, want %q (the first --set varies slowest)", i, pt.Index, pt.Key, wantKeys[i])
		}
		sc := pt.Scenario
		if sc.Network.Loss != 0.02 || sc.Clocks["default"].DriftPPM != 50 || sc.Faults[0].Random.MeanGap.String() != "10s" {
			t.Errorf("point %d: knobs not applied: loss %v, drift %v, mean_gap %v", i, sc.Network.Loss, sc.Clocks["default"].DriftPPM, sc.Faults[0].Random.MeanGap)
		}
		if sc.Params["lease"] != pt.Set["lease"] || sc.Params["renew"] != pt.Set["renew"] || sc.Params["guard"] != pt.Set["guard"] {
			t.Errorf("point %d: params %v, set %v", i, sc.Params, pt.Set)
		}
		if sc.Seeds.Count != 3 || sc.Seeds.From != base.Seeds.From || sc.File != base.File || sc.Name != base.Name {
			t.Errorf("point %d: seeds %+v file %q name %q", i, sc.Seeds, sc.File, sc.Name)
		}
	}
}

// TestApplyIsTheFile: a point's scenario is the scenario a file with those values
// parses to.
func TestApplyIsTheFile(t *testing.T) {
	base := modeltest.Catalog(t, "sweep-lease-length")
	got, probs := Apply(base, map[string]string{"lease": "2s", "loss": "0.5", "drift_ppm": "20", "mean_gap": "1m"})
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	text := strings.NewReplacer("lease: 5s", "lease: 2s", "loss: 0.01", "loss: 0.5", "drift_ppm: 100", "drift_ppm: 20", "mean_gap: 30s", "mean_gap: 1m").
		Replace(string(mustRead(t, "sweep-lease-length")))
	want, err := scenarios.Parse([]byte(text), base.File)
	if err != nil {
		t.Fatal(err)
	}
	if string(got.Marshal()) != string(want.Marshal()) {
		t.Errorf("applied:\n%s\nthe file says:\n%s", got.Marshal(), want.Marshal())
	}
	if got.Values.Duration("lease") != want.Values.Duration("lease") {
		t.Errorf("values differ")
	}
}

func mustRead(t *testing.T, name string) []byte {
	b, err := catalog.Read(name + ".yaml")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestPlanErrors: every bad --set is an error naming the flag, with the scenario
// parser's own field and message, before anything runs.
func TestPlanErrors(t *testing.T) {
	base := modeltest.Catalog(t, "sweep-lease-length")
	noRandom := modeltest.Catalog(t, "lease-cut")
	for _, c := range []struct {
		name  string
		sc    *scenarios.Scenario
		flags []string
		want  []string
	}{
		{"drift out of range", base, []string{"drift_ppm=2000000"}, []string{"--set drift_ppm=2000000: clocks.default.drift_ppm: ", "out of range"}},
		{"drift that used to hang", base, []string{"drift_ppm=1e12"}, []string{"--set drift_ppm=1e12: clocks.default.drift_ppm: "}},
		{"not a duration", base, []string{"lease=1s,abc"}, []string{`--set lease=abc: params.lease: "abc" is not a duration`}},
		{"not a probability", base, []string{"loss=2"}, []string{"--set loss=2: network.loss: 2 is outside [0, 1]"}},
		{"not a number", base, []string{"loss=a b"}, []string{"--set loss=a b: network.loss: expected a number"}},
		{"negative gap", base, []string{"mean_gap=-1s"}, []string{"--set mean_gap=-1s: faults[0].random.mean_gap: -1s is negative"}},
		{"no random faults", noRandom, []string{"mean_gap=1s"}, []string{"--set mean_gap=1s: faults: the scenario has no random: fault entry"}},
		{"unknown reference", base, []string{"lease=1s", "renew=nonexist/3"}, []string{"--set renew=nonexist/3: nonexist is not swept by another --set", "(here: lease)"}},
		{"derived of derived", base, []string{"lease=1s", "renew=lease/3", "guard=renew/2"}, []string{"--set guard=renew/2: renew is not swept"}},
		{"unknown parameter", base, []string{"lesae=1s"}, []string{`--set lesae=1s: protocol lease has no parameter "lesae"`}},
		{"set twice", base, []string{"lease=1s", "lease=2s"}, []string{"--set lease=2s: lease is already set by --set lease=1s"}},
		{"range without step", base, []string{"lease=1s:10s"}, []string{"--set lease=1s:10s: a range is FROM:TO:STEP"}},
		{"range over the cap", base, []string{"lease=1s:1000h:1ms"}, []string{"--set lease=1s:1000h:1ms: 3599999001 values"}},
		{"invalid combination", base, []string{"lease=1s,10s", "guard=2s"}, []string{"--set guard=2s (at guard=2s,lease=1s): params.guard: guard 2s must be shorter than lease 1s"}},
		{"derived value invalid", base, []string{"lease=1s", "renew=lease/0.5"}, []string{"--set renew=lease/0.5 (at lease=1s,renew=2s): params.renew: renew 2s must be shorter"}},
		{"a parameter not swept", base, []string{"lease=500ms,2s"}, []string{"--set lease=500ms: params.renew: renew 1s must be shorter than lease - guard"}},
		{"no sets", base, nil, []string{"at least one --set"}},
		{"negative seeds", base, []string{"lease=1s"}, []string{"--seeds -1"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			seeds := 0
			if c.name == "negative seeds" {
				seeds = -1
			}
			_, err := NewPlan(c.sc, c.flags, seeds)
			var bi *BadInput
			if !errors.As(err, &bi) {
				t.Fatalf("NewPlan(%v) = %v, want a *BadInput", c.flags, err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

// TestPlanErrorIsTheFileError: the message for a bad --set value is the message the
// parser gives for the same value in a file.
func TestPlanErrorIsTheFileError(t *testing.T) {
	base := modeltest.Catalog(t, "sweep-lease-length")
	text := strings.Replace(string(mustRead(t, "sweep-lease-length")), "loss: 0.01", "loss: 7", 1)
	_, ferr := scenarios.Parse([]byte(text), "f.yaml")
	var list scenarios.ErrorList
	if !errors.As(ferr, &list) || len(list) != 1 {
		t.Fatalf("file error %v", ferr)
	}
	_, err := NewPlan(base, []string{"loss=7"}, 0)
	if want := "--set loss=7: " + list[0].Field + ": " + list[0].Msg; err == nil || err.Error() != want {
		t.Errorf("--set error %q, want %q", err, want)
	}
}

func TestPointCap(t *testing.T) {
	base := modeltest.Catalog(t, "sweep-lease-length")
	_, err := NewPlan(base, []string{"lease=1ms:10s:1ms", "guard=0:100ms:1ms"}, 0)
	if err == nil || !strings.Contains(err.Error(), "more than 100000 points") {
		t.Errorf("a sweep of 1,010,000 points: %v", err)
	}
}

// TestApplyKeepsEveryCatalogScenario: applying a point that changes nothing gives back
// every built-in scenario as it was, so a sweep of any of them starts from the file.
func TestApplyKeepsEveryCatalogScenario(t *testing.T) {
	for _, name := range catalog.Names() {
		sc := modeltest.Catalog(t, strings.TrimSuffix(name, ".yaml"))
		point := map[string]string{}
		for k, v := range sc.Params {
			point[k] = v
		}
		got, probs := Apply(sc, point)
		if len(probs) > 0 {
			t.Errorf("%s: %v", name, probs)
			continue
		}
		if string(got.Marshal()) != string(sc.Marshal()) || got.File != sc.File {
			t.Errorf("%s: applying its own values changed it:\n%s\nwas\n%s", name, got.Marshal(), sc.Marshal())
		}
	}
}
