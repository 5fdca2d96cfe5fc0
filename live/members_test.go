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
	for _, c := range []struct {
		name string
		f    sim.Fault
		want string
	}{
		{"isolate a member", sim.Fault{Kind: sim.FaultIsolate, Node: "Q1", At: s}, `faults[0] (isolate): isolates etcd member "Q1"`},
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
