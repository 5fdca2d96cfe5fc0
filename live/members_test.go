package live

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/leasesim/leasesim/sim"
)

// TestLiveMembersLeaderCrash: a 3-member embedded etcd whose raft leader is stopped at
// 1.5s and restarted at 3s. The holders' clients fail over to the other members, a new
// raft leader renews every lease (TTL + election timeout), and the elected holder keeps
// its lease throughout or hands over; either way the fence holds: no effective overlap,
// and the stopped member is named in the history as the fault's node.
func TestLiveMembersLeaderCrash(t *testing.T) {
	plan := Plan{Faults: []Fault{{Kind: MemberCrash, Target: TargetEtcdLeader,
		At: 1500 * time.Millisecond, Until: 3 * time.Second}}}
	res, err := runLive(t, context.Background(), Config{
		Members: 3, Plan: plan, TTL: time.Second, Duration: 5 * time.Second,
		Trials: 1, Seed: 1, Scenario: "members-leader-crash",
	})
	if err != nil {
		t.Fatalf("RunTrials: %v", err)
	}
	if len(res) != 1 {
		t.Fatalf("%d results, want 1", len(res))
	}
	r := res[0]
	if len(r.EffectiveOverlaps) > 0 || r.Verdict == VerdictViolated {
		t.Errorf("verdict %s, effective overlaps %+v, other findings %+v", r.Verdict, r.EffectiveOverlaps, r.OtherFindings)
	}
	h := r.History
	if got := strings.Join(h.Meta.Issuers, ","); got != "Q1,Q2,Q3" {
		t.Errorf("issuers %q, want Q1,Q2,Q3", got)
	}
	if len(h.Faults) != 1 || len(h.Faults[0].Nodes) != 1 || !memberTarget.MatchString(h.Faults[0].Nodes[0]) {
		t.Fatalf("want one fault on an etcd member, got %+v (notes %v)", h.Faults, r.Notes)
	}
	if f := h.Faults[0]; f.To-f.From < int64(time.Second) {
		t.Errorf("member stopped for %v, want about 1.5s", time.Duration(f.To-f.From))
	}
	if r.AcceptedWrites == 0 {
		t.Errorf("no accepted writes: no holder led")
	}
	checkWritesBelongToClaims(t, h)
}

// TestPlanFromSimMembers: with several members, a crash of an issuer node becomes a
// member fault; isolating one member, or crashing one that does not exist, is refused.
func TestPlanFromSimMembers(t *testing.T) {
	s := int64(time.Second)
	p, err := PlanFromSimMembers([]sim.Fault{{Kind: sim.FaultCrash, Node: "Q2", At: s, Until: 2 * s}}, DefaultHolders, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Faults) != 1 || p.Faults[0].Kind != MemberCrash || p.Faults[0].Target != "Q2" || p.Faults[0].Until != 2*time.Second {
		t.Errorf("plan %+v, want one member-crash of Q2 until 2s", p.Faults)
	}
	p, err = PlanFromSimMembers([]sim.Fault{{Kind: sim.FaultIsolate, Node: "Q1", At: s, Until: 2 * s}}, DefaultHolders, 3)
	if err != nil || len(p.Faults) != 1 || p.Faults[0].Kind != MemberIsolate || p.Faults[0].Target != "Q1" {
		t.Errorf("plan %+v (%v), want one member-isolate of Q1", p.Faults, err)
	}
	for _, c := range []struct {
		name string
		f    sim.Fault
		want string
	}{
		{"isolate a member not there", sim.Fault{Kind: sim.FaultIsolate, Node: "Q5", At: s}, `faults[0] (isolate): node "Q5" is not a member of the 3-member etcd`},
		{"crash a member not there", sim.Fault{Kind: sim.FaultCrash, Node: "Q4", At: s}, `faults[0] (crash): node "Q4" is not a member of the 3-member etcd`},
		{"pause a member", sim.Fault{Kind: sim.FaultPause, Node: "Q1", At: s, Until: 2 * s}, `faults[0] (pause): node "Q1" is not a holder`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := PlanFromSimMembers([]sim.Fault{c.f}, DefaultHolders, 3)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("err = %v, want it to contain %q", err, c.want)
			}
		})
	}
	if _, err := PlanFromSim([]sim.Fault{{Kind: sim.FaultCrash, Node: "Q2", At: s}}, DefaultHolders); err == nil {
		t.Error("a member crash on a single member was accepted")
	}
}

// TestLiveRenewOnPromotion: a real etcd renews every lease when a new raft leader takes
// over. The elected holder crashes at 1s for good (its 1s lease would run out by 2s);
// every member stops at 1.5s and restarts at 2.5s, and the new leader renews the lease to
// TTL + election timeout (1.1s) from its promotion, after 2.5s: nobody else can win
// before about 3.6s, a failover gap of more than 2.5s where the TTL alone would give at
// most 1s (at most 1.6s had the restarted cluster expired the lease at once).
func TestLiveRenewOnPromotion(t *testing.T) {
	ms := int64(time.Millisecond)
	faults := []sim.Fault{{Kind: sim.FaultCrash, Node: sim.TargetLeader, At: 1000 * ms}}
	for _, q := range []string{"Q1", "Q2", "Q3"} {
		faults = append(faults, sim.Fault{Kind: sim.FaultCrash, Node: q, At: 1500 * ms, Until: 2500 * ms})
	}
	plan, err := PlanFromSimMembers(faults, DefaultHolders, 3)
	if err != nil {
		t.Fatal(err)
	}
	res, err := runLive(t, context.Background(), Config{
		Members: 3, Plan: plan, TTL: time.Second, Duration: 5 * time.Second,
		Trials: 1, Seed: 1, Scenario: "renew-on-promotion",
	})
	if err != nil {
		t.Fatalf("RunTrials: %v", err)
	}
	r := res[0]
	if r.Verdict == VerdictViolated {
		t.Errorf("verdict %s: effective %+v, other %+v", r.Verdict, r.EffectiveOverlaps, r.OtherFindings)
	}
	fo := r.Check.Metrics.Failovers
	if len(fo) != 1 || !fo[0].Recovered {
		t.Fatalf("failovers %+v; want the crashed leader's, recovered (claims %+v)", fo, r.History.Claims)
	}
	if gap := time.Duration(fo[0].GapNs); gap < 2500*time.Millisecond {
		t.Errorf("failover gap %v; want more than 2.5s: the new raft leader renews the crashed holder's lease", gap)
	} else {
		t.Logf("failover gap %v", gap)
	}
}

// TestLiveMembersIsolateLeader: the raft leader of a 3-member etcd is cut off from its
// peers and clients from 1.5s to 3s while it runs. The others elect a new leader before
// the heal, and the fence keeps any stale write out. (Holders whose gRPC connection is
// pinned to the cut-off member stall until the heal: the client, without
// DialKeepAliveTime, does not notice a silent partition; the test logs how many writes
// got through meanwhile.)
func TestLiveMembersIsolateLeader(t *testing.T) {
	plan := Plan{Faults: []Fault{{Kind: MemberIsolate, Target: TargetEtcdLeader,
		At: 1500 * time.Millisecond, Until: 3 * time.Second}}}
	res, err := runLive(t, context.Background(), Config{
		Members: 3, Plan: plan, TTL: time.Second, Duration: 5 * time.Second,
		Trials: 1, Seed: 1, Scenario: "members-isolate-leader",
	})
	if err != nil {
		t.Fatalf("RunTrials: %v", err)
	}
	r := res[0]
	if len(r.EffectiveOverlaps) > 0 || r.Verdict == VerdictViolated {
		t.Errorf("verdict %s, effective overlaps %+v, other findings %+v", r.Verdict, r.EffectiveOverlaps, r.OtherFindings)
	}
	h := r.History
	if len(h.Faults) != 1 || h.Faults[0].Kind != string(MemberIsolate) || !memberTarget.MatchString(h.Faults[0].Nodes[0]) {
		t.Fatalf("want one member-isolate fault on a member, got %+v (notes %v)", h.Faults, r.Notes)
	}
	f := h.Faults[0]
	if !strings.Contains(f.Detail, "raft leader before the heal: Q") || strings.HasSuffix(f.Detail, f.Nodes[0]) {
		t.Errorf("fault %q on %s: want another member to lead before the heal", f.Detail, f.Nodes[0])
	}
	during := 0
	for _, w := range h.Writes {
		if w.Accepted && w.At > f.From && w.At < f.To {
			during++
		}
	}
	t.Logf("%d writes accepted during the isolation; %d refused by the fence", during, r.RejectedWrites)
}
