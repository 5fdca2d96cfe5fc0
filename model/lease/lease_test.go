package lease_test

import (
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/internal/modeltest"
	"github.com/leasesim/leasesim/internal/runner"
	"github.com/leasesim/leasesim/model"
	"github.com/leasesim/leasesim/model/lease"
	"github.com/leasesim/leasesim/scenarios"
)

// TestCatalogScenarios runs the lease protocol's built-in scenarios — where it is safe and
// where it is expected to break — and checks every expectation over each file's seeds.
func TestCatalogScenarios(t *testing.T) {
	for _, name := range []string{
		"lease-cut", "lease-drift-guard", "lease-leader-crash", // safe
		"lease-drift-noguard", "lease-timestamp-offset", "lease-pause-nofence", // broken
		"fault-clock-step", "fault-crash-issuer", "fault-cut-oneway", "fault-drift", "fault-isolate-leader",
		"fault-lossy-link", "fault-partition", "fault-pause-leader", "fault-random", "fault-reorder", "fault-slow-link",
	} {
		t.Run(name, func(t *testing.T) {
			modeltest.ExpectMet(t, modeltest.Catalog(t, name), catalogSeeds)
		})
	}
}

const params = "{lease: 5s, renew: 1s, guard: 250ms"

// TestRandomFaults runs the correct protocol under random schedules of every fault kind,
// with clock drift (±200 ppm, also changed mid-run) and offsets inside what its guard
// covers (lease.MinGuard(5s, 200ppm) = 1ms, well under 250ms): no two leaders, no node
// declared failed while it thinks it is alive. The lease protocol alone does not fence
// the resource, so P2 is the fencing protocol's to show. LEASESIM_LONG=1 runs 10,000
// seeds per expiry mode.
func TestRandomFaults(t *testing.T) {
	n := modeltest.Seeds(2000, 10000)
	for _, mode := range []string{"period", "version"} {
		t.Run(mode, func(t *testing.T) {
			sc := modeltest.RandomFaults(t, "lease", params+", expiry: "+mode+"}", nil, 200, "100ms", "")
			modeltest.NoFindings(t, sc, n, checker.P1, checker.P4)
		})
	}
	// Short leases renew many times a second, so restarted holders and paused issuers
	// see late answers to old requests: this found request numbers reused across a
	// holder's restarts (a liveness lease counted from the wrong send).
	t.Run("short-lease", func(t *testing.T) {
		sc := modeltest.RandomFaults(t, "lease", "{lease: 50ms, renew: 16ms, guard: 2500us}",
			[]string{"crash", "issuer_crash", "pause", "slow"}, 100, "0s", "")
		sc.Network.Delay = scenarios.Delay{Dist: "lognormal", Median: 5 * time.Millisecond, P99: 300 * time.Millisecond}
		modeltest.NoFindings(t, sc, n/20, checker.P1, checker.P4)
	})
	// timestamp is safe only while wall clocks agree within the guard: no steps, offsets
	// of ±100ms (MinGuard(5s, 200ppm, 100ms) = 101ms).
	t.Run("timestamp", func(t *testing.T) {
		kinds := []string{"partition", "cut", "cut_oneway", "isolate", "crash", "issuer_crash", "pause", "slow", "lossy", "reorder", "drift"}
		sc := modeltest.RandomFaults(t, "lease", params+", expiry: timestamp}", kinds, 200, "100ms", "")
		modeltest.NoFindings(t, sc, n, checker.P1, checker.P4)
	})
}

// TestGeneratedSchedules is the same property over rapid's structured schedules, which
// shrink to a minimal failing one (and replay from testdata/rapid on every run).
func TestGeneratedSchedules(t *testing.T) {
	base := modeltest.RandomFaults(t, "lease", params+"}", nil, 200, "100ms", "")
	bounds := scenarios.BoundsFrom(base)
	rapid.Check(t, func(rt *rapid.T) {
		g := scenarios.Generate(rt, base, bounds)
		run, err := runner.RunSeed(g, g.Seeds.From, runner.Options{})
		if err != nil {
			rt.Fatal(err)
		}
		for _, f := range run.Check.Findings {
			if f.Kind == checker.P1 || f.Kind == checker.P4 {
				rt.Fatalf("%s %v: %s\n%s", f.Kind, f.Holders, f.Detail, g.Marshal())
			}
		}
	})
}

func TestMinGuard(t *testing.T) {
	s := int64(time.Second)
	tests := []struct {
		lease  int64
		ppm    float64
		offset int64
		expiry string
		want   int64
	}{
		{10 * s, 100, 0, "period", int64(time.Millisecond)},
		{20 * s, 2000, 0, "period", 40 * int64(time.Millisecond)},
		{20 * s, -2000, 0, "version", 40 * int64(time.Millisecond)},
		{5 * s, 200, 100 * int64(time.Millisecond), "timestamp", 101 * int64(time.Millisecond)},
		{5 * s, 200, 100 * int64(time.Millisecond), "period", int64(time.Millisecond)}, // offsets do not matter
		{3, 1, 0, "period", 1}, // rounded up
	}
	for _, tt := range tests {
		if got := lease.MinGuard(tt.lease, tt.ppm, tt.offset, tt.expiry); got != tt.want {
			t.Errorf("MinGuard(%d, %v, %d, %s) = %d, want %d", tt.lease, tt.ppm, tt.offset, tt.expiry, got, tt.want)
		}
	}
}

// TestMinGuardBoundary checks the analytic bound against the simulator: with the
// clocks of lease-drift-noguard (opposite 2000 ppm drifts, a 20s lease, so MinGuard is
// 40ms), a guard of MinGuard holds on every seed, and a guard of a third of it does not.
func TestMinGuardBoundary(t *testing.T) {
	sc := modeltest.Catalog(t, "lease-drift-noguard")
	min := lease.MinGuard(int64(20*time.Second), 2000, 0, "period")
	for _, tc := range []struct {
		guard   time.Duration
		violate bool
	}{{time.Duration(min), false}, {time.Duration(min / 3), true}} {
		c := *sc
		c.Params = map[string]string{"lease": "20s", "renew": "200ms", "guard": tc.guard.String()}
		p, _ := model.Lookup("lease")
		v, err := p.ParseValues(c.Params)
		if err != nil {
			t.Fatal(err)
		}
		c.Values = v
		runs := modeltest.Run(t, &c, modeltest.SeedRange(1, 20))
		violated := 0
		for _, r := range runs {
			if r.Check.Violated(checker.P1) {
				violated++
			}
		}
		if tc.violate && violated == 0 {
			t.Errorf("guard %s (a third of MinGuard) never violated P1 in 20 seeds", tc.guard)
		}
		if !tc.violate && violated > 0 {
			t.Errorf("guard %s (MinGuard) violated P1 in %d/20 seeds", tc.guard, violated)
		}
	}
}

// catalogSeeds is how many seeds each catalog scenario's expectations are checked over
// here (the files themselves run fewer, to keep the suite quick).
const catalogSeeds = 200
