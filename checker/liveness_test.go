package checker

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/leasesim/leasesim/history"
)

// TestLiveness: over [0, 100s) with holders A, B, C and a bound of 20s, the check looks at
// the unavailable stretches after the last fault healed and reports each one longer than
// the bound (counted from the healing when it began earlier).
func TestLiveness(t *testing.T) {
	L := history.LeaderLease
	type gap struct{ from, to float64 }
	for _, tc := range []struct {
		name    string
		claims  []history.Claim
		faults  []history.Fault
		up      []history.Up
		within  time.Duration
		status  CheckStatus
		want    []gap
		wording string
	}{
		{name: "held throughout, no fault", claims: []history.Claim{cl("A", L, 1, 0, 100)}, within: 20 * time.Second, status: Checked},
		{name: "recovers 10s after the heal", claims: []history.Claim{cl("A", L, 1, 0, 40), cl("B", L, 2, 60, 100)},
			faults: []history.Fault{fault("cut", 35, 50, "A")}, within: 20 * time.Second, status: Checked},
		{name: "recovers 10s after the heal, bound 5s", claims: []history.Claim{cl("A", L, 1, 0, 40), cl("B", L, 2, 60, 100)},
			faults: []history.Fault{fault("cut", 35, 50, "A")}, within: 5 * time.Second, status: Checked,
			want: []gap{{50, 60}}, wording: "no holder led from 50s, when the last fault healed, to 1m0s (10s): longer than recovers_within 5s"},
		{name: "a gap before the heal does not count", claims: []history.Claim{cl("A", L, 1, 0, 10), cl("B", L, 2, 45, 100)},
			faults: []history.Fault{fault("cut", 5, 50, "A")}, within: 20 * time.Second, status: Checked},
		{name: "stuck: never held again", claims: []history.Claim{cl("A", L, 1, 0, 40)},
			faults: []history.Fault{fault("cut", 35, 50, "A")}, within: 20 * time.Second, status: Checked,
			want: []gap{{50, 100}}, wording: "to the end of the run (50s)"},
		{name: "recovered, then a long gap", claims: []history.Claim{cl("A", L, 1, 0, 60), cl("B", L, 2, 90, 100)},
			faults: []history.Fault{fault("cut", 10, 20, "A")}, within: 20 * time.Second, status: Checked,
			want: []gap{{60, 90}}, wording: "after the system had recovered from the last fault (healed at 20s)"},
		{name: "an open gap at the end shorter than the bound", claims: []history.Claim{cl("A", L, 1, 0, 85)},
			faults: []history.Fault{fault("cut", 10, 20, "A")}, within: 20 * time.Second, status: Checked},
		{name: "the last fault's end counts, not the first's", claims: []history.Claim{cl("A", L, 1, 0, 30), cl("B", L, 2, 75, 100)},
			faults: []history.Fault{fault("crash", 60, 70, "C"), fault("cut", 25, 35, "A"), fault("clock_step", 40, 40, "B")},
			within: 20 * time.Second, status: Checked},
		{name: "an instant fault heals at its instant", claims: []history.Claim{cl("A", L, 1, 0, 30), cl("B", L, 2, 75, 100)},
			faults: []history.Fault{fault("clock_step", 40, 40, "B")}, within: 20 * time.Second, status: Checked,
			want: []gap{{40, 75}}},
		{name: "nobody wants the lease: not unavailable", claims: []history.Claim{cl("A", L, 1, 0, 30)},
			faults: []history.Fault{fault("cut", 10, 20, "A")},
			up:     []history.Up{{Holder: "A", From: 0, To: secs(30)}, {Holder: "B", From: 0, To: secs(30)}, {Holder: "C", From: 0, To: secs(30)}},
			within: 20 * time.Second, status: Checked},
		{name: "a fault that never heals", claims: []history.Claim{cl("A", L, 1, 0, 30)},
			faults: []history.Fault{{Kind: "crash", Nodes: []string{"A"}, From: secs(30), To: history.Forever}},
			within: 20 * time.Second, status: Skipped},
		{name: "no bound: not checked", claims: []history.Claim{cl("A", L, 1, 0, 30)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := hist(tc.claims...)
			h.Faults, h.Up = tc.faults, tc.up
			r := Check(h, Options{SkipPorcupine: true, RecoversWithin: tc.within})
			if tc.within == 0 {
				if r.Checks.Liveness != nil || r.Violated(Liveness) {
					t.Fatalf("liveness checked without a bound: %+v", r.Checks.Liveness)
				}
				return
			}
			if r.Checks.Liveness == nil || r.Checks.Liveness.Status != tc.status {
				t.Fatalf("liveness check %+v, want status %s", r.Checks.Liveness, tc.status)
			}
			var got []gap
			for _, f := range r.Findings {
				if f.Kind != Liveness {
					t.Errorf("unexpected finding %+v", f)
					continue
				}
				got = append(got, gap{float64(f.From) / 1e9, float64(f.To) / 1e9})
				if tc.wording != "" && !strings.Contains(f.Detail, tc.wording) {
					t.Errorf("detail %q lacks %q", f.Detail, tc.wording)
				}
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("liveness findings %v, want %v", got, tc.want)
			}
			if want := Ok; len(tc.want) > 0 && r.Verdict != Violated || len(tc.want) == 0 && r.Verdict != want {
				t.Errorf("verdict %s", r.Verdict)
			}
		})
	}
}
