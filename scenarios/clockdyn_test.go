package scenarios

import (
	"math"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/leasesim/leasesim/sim"
)

const clockHead = "name: x\nprotocol: testproto\nholders: [A, B]\n"

// TestPeriodicAndSlewClocks: the periodic and slew keys reach each node's sim clock spec;
// under default the phase is drawn per node unless the file gives one, and a node's own
// entry replaces the default's component; the scenario's worst rate adds them up.
func TestPeriodicAndSlewClocks(t *testing.T) {
	sc, err := Parse([]byte(clockHead+`clocks:
  default: {drift_ppm: 10, periodic: {amplitude_ppm: 30, period: 1h}, slew: {max_ppm: 500}}
  A: {drift_ppm: 20, periodic: {amplitude_ppm: 500, period: 10m, phase: 1.5}}
`), "f.yaml")
	if err != nil {
		t.Fatal(err)
	}
	a, b := sc.clockSpec("A"), sc.clockSpec("B")
	if a.Periodic == nil || *a.Periodic != (sim.PeriodicRate{AmplitudePPM: 500, Period: int64(10 * time.Minute), Phase: 1.5}) {
		t.Errorf("A periodic = %+v", a.Periodic)
	}
	if b.Periodic == nil || *b.Periodic != (sim.PeriodicRate{AmplitudePPM: 30, Period: int64(time.Hour), RandomPhase: true}) {
		t.Errorf("B periodic = %+v, want the default's with a drawn phase", b.Periodic)
	}
	for n, c := range map[string]sim.ClockSpec{"A": a, "B": b} {
		if c.Slew == nil || *c.Slew != (sim.Slew{MaxPPM: 500, Interval: int64(DefaultSlewInterval)}) {
			t.Errorf("%s slew = %+v, want the default's", n, c.Slew)
		}
	}
	if got := sc.WorstRatePPM(); got != 20+500+500 {
		t.Errorf("worst rate %v ppm, want 1020 (A: drift 20 + amplitude 500 + slew 500)", got)
	}
	// The file's text round-trips.
	back, err := Parse(sc.Marshal(), "back.yaml")
	if err != nil {
		t.Fatalf("%v\n%s", err, sc.Marshal())
	}
	if !strings.Contains(string(sc.Marshal()), "periodic: {amplitude_ppm: 500, period: 10m, phase: 1.5}") ||
		back.clockSpec("B").Periodic.RandomPhase != true || *back.clockSpec("A").Periodic != *a.Periodic {
		t.Errorf("round trip lost the clocks:\n%s", sc.Marshal())
	}
}

// TestDefaultPhaseIsDrawnPerNode: two nodes under a default periodic entry run their
// swings at different phases, drawn from their own streams: the same seed gives the same
// runs, and a node's phase does not change the other clocks' drift draws.
func TestDefaultPhaseIsDrawnPerNode(t *testing.T) {
	sc, err := Parse([]byte(clockHead+"clocks:\n  default: {drift_ppm: 100, periodic: {amplitude_ppm: 500, period: 10s}}\n"), "f.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := sc.Config(7)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range cfg.Nodes {
		if n.Clock.Periodic == nil || !n.Clock.Periodic.RandomPhase || n.Clock.DriftRangePPM != 100 {
			t.Errorf("%s clock %+v", n.Name, n.Clock)
		}
	}
	if math.IsNaN(sc.WorstRatePPM()) || sc.WorstRatePPM() != 600 {
		t.Errorf("worst rate %v, want 600", sc.WorstRatePPM())
	}
}

func TestClockDynamicsErrors(t *testing.T) {
	for _, tt := range []struct{ name, in, want string }{
		{"missing amplitude", "clocks: {A: {periodic: {period: 10m}}}\n", "clocks.A.periodic.amplitude_ppm: missing"},
		{"missing period", "clocks: {A: {periodic: {amplitude_ppm: 5}}}\n", "clocks.A.periodic.period: missing"},
		{"period too short", "clocks: {A: {periodic: {amplitude_ppm: 5, period: 500us}}}\n", "clocks.A.periodic.period: 500µs is out of range; expected a duration between 1ms and 1000h0m0s"},
		{"period too long", "clocks: {A: {periodic: {amplitude_ppm: 5, period: 1001h}}}\n", "clocks.A.periodic.period: 1001h is too long; expected at most 1000h"},
		{"negative amplitude", "clocks: {A: {periodic: {amplitude_ppm: -5, period: 1m}}}\n", "clocks.A.periodic.amplitude_ppm: -5 is out of range; expected a rate in [0, 1000000) ppm"},
		{"phase not a number", "clocks: {A: {periodic: {amplitude_ppm: 5, period: 1m, phase: pi}}}\n", "clocks.A.periodic.phase: expected a number"},
		{"unknown periodic key", "clocks: {A: {periodic: {amplitude: 5, period: 1m}}}\n", `clocks.A.periodic.amplitude: unknown key "amplitude" in clocks.A.periodic; expected one of: amplitude_ppm, period, phase`},
		{"missing max_ppm", "clocks: {default: {slew: {interval: 16s}}}\n", "clocks.default.slew.max_ppm: missing"},
		{"interval zero", "clocks: {A: {slew: {max_ppm: 500, interval: 0}}}\n", "clocks.A.slew.interval: 0s is out of range"},
		{"slew not a mapping", "clocks: {A: {slew: 500}}\n", "clocks.A.slew: expected a mapping"},
		{"unknown clock key lists the new ones", "clocks: {A: {sine: 1}}\n", "expected one of: drift_ppm, offset, periodic, slew"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sc, err := Parse([]byte(clockHead+tt.in), "f.yaml")
			if err == nil {
				t.Fatalf("no error; parsed %+v", sc.Clocks)
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "f.yaml:4:") {
				t.Errorf("error:\n%v\nwant it to contain f.yaml:4: and:\n%s", err, tt.want)
			}
		})
	}
}

// TestGenerateKeepsSwingsAndSlews: explore's generated schedules replace the default
// clock's drift and offset draws by fixed per-node values, but keep its periodic swing
// (with a per-node drawn phase) and slew on every node.
func TestGenerateKeepsSwingsAndSlews(t *testing.T) {
	base, err := Parse([]byte(clockHead+"clocks:\n  default: {drift_ppm: 100, periodic: {amplitude_ppm: 500, period: 10m}, slew: {max_ppm: 500}}\n"), "f.yaml")
	if err != nil {
		t.Fatal(err)
	}
	rapid.Check(t, func(rt *rapid.T) {
		g := Generate(rt, base, BoundsFrom(base))
		for _, n := range g.nodeNames() {
			c := g.clockSpec(n)
			if c.Periodic == nil || !c.Periodic.RandomPhase || c.Periodic.AmplitudePPM != 500 || c.Slew == nil {
				rt.Fatalf("node %s lost the default's swing or slew: %+v\n%s", n, c, g.Marshal())
			}
		}
	})
}
