package checker

import (
	"reflect"
	"testing"
	"time"

	"github.com/leasesim/leasesim/history"
)

// The tests in this file kill mutants of failover.go and liveness.go that gremlins found
// surviving the rest of the checker's tests (scripts/mutation.sh files checker failover.go
// liveness.go; docs/mutation.md): each pins an instant where a comparison's two sides meet.

// TestFailoverEdges: crashes and claims that meet at one instant.
func TestFailoverEdges(t *testing.T) {
	L := history.LeaderLease
	crashEnded := func(c history.Claim) history.Claim { c.End = history.EndCrash; return c }
	cases := []struct {
		name   string
		claims []history.Claim
		faults []history.Fault
		want   []Failover
	}{
		// The observed window is [0, 100s): a crash at its end instant is outside it,
		// though A's claim runs up to that instant.
		{"a crash at the window's end is no failover",
			[]history.Claim{cl("A", L, 1, 0, 100)},
			[]history.Fault{fault("crash", 100, 100, "A")}, nil},
		// A held nothing before the crash: a claim beginning at the crash instant is not
		// one the crash interrupted (From < At is strict).
		{"a claim beginning at the crash instant did not lead",
			[]history.Claim{cl("B", L, 1, 0, 20), cl("A", L, 2, 20, 100)},
			[]history.Fault{fault("crash", 20, 20, "A")}, nil},
		// A restarts at once and claims again from the crash instant: the crashed
		// holder's own claims from At on count, so the lease was held again at once.
		{"the crashed holder claims again at the crash instant",
			[]history.Claim{crashEnded(cl("A", L, 1, 0, 20)), cl("A", L, 2, 20, 100)},
			[]history.Fault{fault("crash", 20, 20, "A")},
			[]Failover{{Holder: "A", At: 20 * sec, HeldAgainAt: 20 * sec, Recovered: true, GapNs: 0}}},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			h := hist(tt.claims...)
			h.Faults = tt.faults
			if err := h.Validate(); err != nil {
				t.Fatalf("the test's history is not valid: %v", err)
			}
			m := Check(h, Options{SkipPorcupine: true}).Metrics
			if !reflect.DeepEqual(m.Failovers, tt.want) {
				t.Fatalf("failovers\n got %+v\nwant %+v", m.Failovers, tt.want)
			}
		})
	}
}

// TestLivenessEdges: the liveness check at its boundaries, with the check's item count
// and a finding's whole wording.
func TestLivenessEdges(t *testing.T) {
	L := history.LeaderLease
	cases := []struct {
		name   string
		claims []history.Claim
		faults []history.Fault
		within time.Duration
		status CheckStatus
		items  int
		detail []string // the findings' details
	}{
		// Healed at 40s, held again at 60s: a gap of exactly the bound is within it.
		{name: "a gap of exactly the bound", claims: []history.Claim{cl("A", L, 1, 0, 40), cl("B", L, 2, 60, 100)},
			faults: []history.Fault{fault("cut", 35, 40, "A")}, within: 20 * time.Second, status: Checked, items: 1},
		// The same gap, a bound 1ns shorter: a finding.
		{name: "a gap 1ns over the bound", claims: []history.Claim{cl("A", L, 1, 0, 40), cl("B", L, 2, 60, 100)},
			faults: []history.Fault{fault("cut", 35, 40, "A")}, within: 20*time.Second - 1, status: Checked, items: 1,
			detail: []string{"no holder led from 40s, when the last fault healed, to 1m0s (20s): longer than recovers_within 20s"}},
		// A fault ending exactly at the run's end: nothing healed inside the window.
		{name: "a fault ending at the run's end", claims: []history.Claim{cl("A", L, 1, 0, 30)},
			faults: []history.Fault{fault("crash", 30, 100, "A")}, within: 20 * time.Second, status: Skipped},
		// A gap that ends exactly when the last fault heals lies wholly before it: no item.
		{name: "a gap ending at the heal", claims: []history.Claim{cl("A", L, 1, 0, 10), cl("B", L, 2, 20, 100)},
			faults: []history.Fault{fault("cut", 5, 20, "A")}, within: 20 * time.Second, status: Checked, items: 0},
		// Two gaps after the heal, the second too long: two items, and the finding names
		// the gap's own length (30s), not one counted from the heal or the run's start.
		{name: "two gaps after the heal", claims: []history.Claim{cl("A", L, 1, 0, 50), cl("B", L, 2, 55, 60), cl("B", L, 2, 90, 100)},
			faults: []history.Fault{fault("cut", 10, 20, "A")}, within: 20 * time.Second, status: Checked, items: 2,
			detail: []string{"nobody held the lease from 1m0s to 1m30s (30s), after the system had recovered from the last fault (healed at 20s): longer than recovers_within 20s"}},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			h := hist(tt.claims...)
			h.Faults = tt.faults
			if err := h.Validate(); err != nil {
				t.Fatalf("the test's history is not valid: %v", err)
			}
			r := Check(h, Options{SkipPorcupine: true, RecoversWithin: tt.within})
			pc := r.Checks.Liveness
			if pc == nil || pc.Status != tt.status || pc.Items != tt.items {
				t.Fatalf("liveness check %+v, want status %s with %d items", pc, tt.status, tt.items)
			}
			var got []string
			for _, f := range r.Findings {
				if f.Kind == Liveness {
					got = append(got, f.Detail)
				}
			}
			if !reflect.DeepEqual(got, tt.detail) {
				t.Errorf("liveness findings\n got %q\nwant %q", got, tt.detail)
			}
		})
	}
}
