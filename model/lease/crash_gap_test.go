package lease_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/history"
	"github.com/leasesim/leasesim/model"
	"github.com/leasesim/leasesim/sim"
)

// directConfig builds one seed's kernel configuration straight from the registry —
// model.Lookup(proto).Build — without the scenarios package: issuer Q, holders A, B, C
// with drift drawn in ±driftPPM, uniform delays in [dmin, dmax], no loss.
func directConfig(t *testing.T, proto string, params map[string]string, seed uint64, driftPPM float64, dmin, dmax int64, faults []sim.Fault, duration int64) sim.Config {
	t.Helper()
	p, ok := model.Lookup(proto)
	if !ok {
		t.Fatalf("protocol %s is not registered", proto)
	}
	v, err := p.ParseValues(params)
	if err != nil {
		t.Fatal(err)
	}
	holders := []string{"A", "B", "C"}
	ctors, err := p.Build(model.Setup{Holders: holders, Issuers: []string{"Q"}, Params: v})
	if err != nil {
		t.Fatal(err)
	}
	cfg := sim.Config{
		Seed:     seed,
		Duration: duration,
		Network:  sim.Network{Delay: sim.DelayDist{Kind: "uniform", Min: dmin, Max: dmax}},
		Faults:   faults,
		MsgName:  p.MsgName,
		Meta:     history.Meta{Scenario: "direct-" + proto, Protocol: proto, Params: v.Map(), Lease: history.LeaderLease},
	}
	cfg.Nodes = append(cfg.Nodes, sim.NodeSpec{Name: "Q", Role: sim.RoleIssuer, New: ctors["Q"],
		Clock: sim.ClockSpec{DriftRangePPM: driftPPM}})
	for _, h := range holders {
		cfg.Nodes = append(cfg.Nodes, sim.NodeSpec{Name: h, Role: sim.RoleHolder, New: ctors[h],
			Clock: sim.ClockSpec{DriftRangePPM: driftPPM}})
	}
	return cfg
}

// TestLeaderCrashGapBounds checks the analytic bounds on the longest gap after the
// leader crashes (package doc, "Failover time"): over 200 seeds, with uniform delays in
// [1ms, 20ms] and drift within ±100 ppm, every run's longest gap lies between
//
//	lower = (lease+guard)/(1+ρ) − renew/(1−ρ) + 2·dmin
//	upper = (lease+guard)/(1−ρ) + 2·dmax
//
// and the seeds spread over most of that range (the bounds are tight, not just true).
func TestLeaderCrashGapBounds(t *testing.T) {
	const (
		lease, renew, guard = 5 * int64(time.Second), int64(time.Second), 250 * int64(time.Millisecond)
		dmin, dmax          = int64(time.Millisecond), 20 * int64(time.Millisecond)
		ppm                 = 100.0
		seeds               = 200
	)
	rho := ppm / 1e6
	lower := int64(float64(lease+guard)/(1+rho)-float64(renew)/(1-rho)) + 2*dmin
	upper := int64(float64(lease+guard)/(1-rho)) + 2*dmax
	params := map[string]string{"lease": "5s", "renew": "1s", "guard": "250ms"}
	faults := []sim.Fault{{Kind: sim.FaultCrash, Node: sim.TargetLeader, At: 20 * int64(time.Second), Until: 40 * int64(time.Second)}}
	lo, hi := int64(1<<62), int64(0)
	for seed := uint64(1); seed <= seeds; seed++ {
		h, err := sim.Run(directConfig(t, "lease", params, seed, ppm, dmin, dmax, faults, 60*int64(time.Second)))
		if err != nil {
			t.Fatal(err)
		}
		res := checker.Check(h, checker.Options{})
		if len(res.Findings) > 0 {
			t.Fatalf("seed %d: %s %v: %s", seed, res.Findings[0].Kind, res.Findings[0].Holders, res.Findings[0].Detail)
		}
		gap := res.Metrics.MaxGapNs
		if gap < lower || gap > upper {
			t.Errorf("seed %d: longest gap %v outside the analytic bounds [%v, %v]", seed, time.Duration(gap), time.Duration(lower), time.Duration(upper))
		}
		lo, hi = min(lo, gap), max(hi, gap)
	}
	span := upper - lower
	if lo > lower+span*3/10 || hi < upper-span*3/10 {
		t.Errorf("longest gaps over %d seeds span only [%v, %v] of the bounds [%v, %v]: the bounds are loose", seeds, time.Duration(lo), time.Duration(hi), time.Duration(lower), time.Duration(upper))
	}
	t.Logf("longest gap over %d seeds: [%v, %v], analytic bounds [%v, %v]", seeds, time.Duration(lo), time.Duration(hi), time.Duration(lower), time.Duration(upper))
}

// TestDirectRegistryRun is the registry path without the scenarios package: each
// protocol of the lease family, built with model.Lookup(...).Build and run by sim.Run,
// records a leader claim, a liveness claim per holder and (with a resource) writes.
func TestDirectRegistryRun(t *testing.T) {
	for _, proto := range []string{"lease", "fencing", "heartbeat"} {
		t.Run(proto, func(t *testing.T) {
			p, _ := model.Lookup(proto)
			v, err := p.ParseValues(nil)
			if err != nil {
				t.Fatal(err)
			}
			ctors, err := p.Build(model.Setup{Holders: []string{"A", "B"}, Issuers: []string{"Q"}, Resource: "R", Params: v})
			if err != nil {
				t.Fatal(err)
			}
			cfg := sim.Config{Seed: 1, Duration: 30 * int64(time.Second),
				Network: sim.Network{Delay: sim.DelayDist{Kind: "fixed", Fixed: int64(time.Millisecond)}},
				Meta:    history.Meta{Protocol: proto, Lease: history.LeaderLease}}
			for _, n := range []struct {
				name string
				role sim.Role
			}{{"Q", sim.RoleIssuer}, {"A", sim.RoleHolder}, {"B", sim.RoleHolder}, {"R", sim.RoleResource}} {
				if ctors[n.name] == nil {
					t.Fatalf("%s built no state machine for %s", proto, n.name)
				}
				cfg.Nodes = append(cfg.Nodes, sim.NodeSpec{Name: n.name, Role: n.role, New: ctors[n.name]})
			}
			h, err := sim.Run(cfg)
			if err != nil {
				t.Fatal(err)
			}
			count := map[string]int{}
			for _, c := range h.Claims {
				count[c.Lease]++
			}
			for _, l := range []string{history.LeaderLease, history.LivenessLease("A"), history.LivenessLease("B")} {
				if count[l] == 0 {
					t.Errorf("no claim on %s; claims per lease: %v", l, count)
				}
			}
			if len(h.Writes) == 0 {
				t.Error("the leader never wrote to R")
			}
			if res := checker.Check(h, checker.Options{}); res.Verdict != checker.Ok {
				t.Errorf("verdict %s, findings %s", res.Verdict, fmt.Sprint(res.Findings))
			}
		})
	}
}

// TestFailoverInEveryExpiryMode: P1 holding is only worth something if the lease moves
// on. In each expiry mode, after the leader crashes another holder leads within the
// mode's bound: lease + guard + renew (period, timestamp) and one renew more for version,
// whose contender must first see the last version in a deny and then watch it unchanged
// for lease + guard on its own clock (delays and drift added as in the package doc).
func TestFailoverInEveryExpiryMode(t *testing.T) {
	const (
		lease, renew, guard = 5 * int64(time.Second), int64(time.Second), 250 * int64(time.Millisecond)
		dmin, dmax          = int64(time.Millisecond), 20 * int64(time.Millisecond)
		ppm                 = 100.0
		crashAt             = 20 * int64(time.Second)
	)
	rho := ppm / 1e6
	for _, tt := range []struct {
		expiry      string
		extraRenews int64
	}{{"period", 0}, {"timestamp", 0}, {"version", 1}} {
		t.Run(tt.expiry, func(t *testing.T) {
			upper := int64(float64(lease+guard+(1+tt.extraRenews)*renew)/(1-rho)) + (3+2*tt.extraRenews)*dmax
			params := map[string]string{"lease": "5s", "renew": "1s", "guard": "250ms", "expiry": tt.expiry}
			faults := []sim.Fault{{Kind: sim.FaultCrash, Node: sim.TargetLeader, At: crashAt}} // never restarts
			longest := int64(0)
			for seed := uint64(1); seed <= 50; seed++ {
				h, err := sim.Run(directConfig(t, "lease", params, seed, ppm, dmin, dmax, faults, 40*int64(time.Second)))
				if err != nil {
					t.Fatal(err)
				}
				res := checker.Check(h, checker.Options{})
				if len(res.Findings) > 0 {
					t.Fatalf("seed %d: %s %v: %s", seed, res.Findings[0].Kind, res.Findings[0].Holders, res.Findings[0].Detail)
				}
				var crashed string
				for _, f := range h.Faults {
					if len(f.Nodes) == 1 {
						crashed = f.Nodes[0]
					}
				}
				next := int64(-1)
				for _, c := range h.Claims {
					if c.Lease == history.LeaderLease && c.Holder != crashed && c.From >= crashAt && (next < 0 || c.From < next) {
						next = c.From
					}
				}
				if next < 0 {
					t.Fatalf("seed %d: nobody led after %s crashed", seed, crashed)
				}
				gap := next - crashAt
				longest = max(longest, gap)
				if gap > upper {
					t.Errorf("seed %d: %s crashed at %v and the next leader started only %v later, more than %v", seed, crashed, time.Duration(crashAt), time.Duration(gap), time.Duration(upper))
				}
			}
			t.Logf("%s: longest failover over 50 seeds %v (bound %v)", tt.expiry, time.Duration(longest), time.Duration(upper))
		})
	}
}
