package checker

import (
	"reflect"
	"testing"

	"github.com/leasesim/leasesim/history"
)

func fault(kind string, from, to float64, nodes ...string) history.Fault {
	return history.Fault{Kind: kind, Nodes: nodes, From: secs(from), To: secs(to)}
}

// TestMetricsByHand: A leads [0, 30s), nobody [30s, 40s), B [40s, 70s), A [70s, end).
func TestMetricsByHand(t *testing.T) {
	L := history.LeaderLease
	last := cl("A", L, 3, 70, 100)
	last.End = history.EndRunEnd
	h := hist(cl("A", L, 1, 0, 20), cl("A", L, 1, 20, 30), cl("B", L, 2, 40, 70), last,
		cl("C", history.LivenessLease("C"), 1, 0, 100)) // another lease does not count
	h.Meta.Events, h.Meta.Messages, h.Meta.IssuerMessages = 1234, 567, 500
	h.Faults = []history.Fault{
		fault("crash", 25, 35, "A"),      // gap starts inside at 30s, held again at 40s
		fault("clock_step", 30, 30, "A"), // an instant, at the gap's first instant
		fault("pause", 50, 60, "B"),      // no gap inside
		fault("clock_step", 45, 45, "C"), // an instant with no gap
		fault("partition", 35, 38, "Q"),  // starts inside an open gap
	}
	m := Check(h, Options{}).Metrics
	want := Metrics{
		UnavailableFraction: 0.1, UnavailableNs: 10 * sec, MaxGapNs: 10 * sec, MaxGapFrom: 30 * sec,
		LeaderChanges: 2, Events: 1234, Messages: 567, IssuerMsgsPerSec: 5,
		Recoveries: []Recovery{
			{Fault: "crash", Nodes: []string{"A"}, Start: 25 * sec, End: 35 * sec, Caused: true, UnavailableAt: 30 * sec,
				HeldAgainAt: 40 * sec, Recovered: true, RecoveryNs: 15 * sec, AfterEndNs: 5 * sec},
			{Fault: "clock_step", Nodes: []string{"A"}, Start: 30 * sec, End: 30 * sec, Caused: true, UnavailableAt: 30 * sec,
				HeldAgainAt: 40 * sec, Recovered: true, RecoveryNs: 10 * sec, AfterEndNs: 10 * sec},
			{Fault: "pause", Nodes: []string{"B"}, Start: 50 * sec, End: 60 * sec, Recovered: true},
			{Fault: "clock_step", Nodes: []string{"C"}, Start: 45 * sec, End: 45 * sec, Recovered: true},
			{Fault: "partition", Nodes: []string{"Q"}, Start: 35 * sec, End: 38 * sec, Caused: true, UnavailableAt: 35 * sec,
				HeldAgainAt: 40 * sec, Recovered: true, RecoveryNs: 5 * sec, AfterEndNs: 2 * sec},
		},
		// A crashed while it held the lease (its own claim, running on past the crash
		// here, is left out): B held it again at 40s.
		Failovers: []Failover{{Holder: "A", At: 25 * sec, HeldAgainAt: 40 * sec, Recovered: true, GapNs: 15 * sec}},
	}
	if !reflect.DeepEqual(m, want) {
		t.Fatalf("metrics\n got %+v\nwant %+v", m, want)
	}
	if got := Unavailability(h); !reflect.DeepEqual(got, []Interval{{30 * sec, 40 * sec}}) {
		t.Errorf("Unavailability = %v", got)
	}
}

func TestMetricsLiveness(t *testing.T) {
	L := history.LeaderLease
	cases := []struct {
		name    string
		holders []string
		up      []history.Up
		claims  []history.Claim
		unavail []Interval
		maxGap  int64
	}{
		{
			// Wanted [0,20) ∪ [50,100), held [0,20) ∪ [60,100): unavailable [50,60).
			name: "nobody wants it while everyone is down", holders: []string{"A", "B"},
			up:      []history.Up{{Holder: "A", From: 0, To: 20 * sec}, {Holder: "B", From: 50 * sec, To: 100 * sec}},
			claims:  []history.Claim{cl("A", L, 1, 0, 20), cl("B", L, 2, 60, 100)},
			unavail: []Interval{{50 * sec, 60 * sec}}, maxGap: 10 * sec,
		},
		{
			// C has no Up record: it wants the lease all along.
			name: "a holder without Up records is always up", holders: []string{"A", "B", "C"},
			up:      []history.Up{{Holder: "A", From: 0, To: 20 * sec}, {Holder: "B", From: 50 * sec, To: 100 * sec}},
			claims:  []history.Claim{cl("A", L, 1, 0, 20), cl("B", L, 2, 60, 100)},
			unavail: []Interval{{20 * sec, 60 * sec}}, maxGap: 40 * sec,
		},
		{
			name: "no holders listed: taken from Up and claims", holders: nil,
			up:      []history.Up{{Holder: "A", From: 0, To: 50 * sec}},
			claims:  []history.Claim{cl("A", L, 1, 10, 20), cl("A", L, 1, 30, 40)},
			unavail: []Interval{{0, 10 * sec}, {20 * sec, 30 * sec}, {40 * sec, 50 * sec}}, maxGap: 10 * sec,
		},
		{
			name: "held all along", holders: []string{"A"},
			claims: []history.Claim{cl("A", L, 1, 0, 50), cl("A", L, 2, 50, 100)},
		},
		{
			name: "never held", holders: []string{"A"},
			unavail: []Interval{{0, 100 * sec}}, maxGap: 100 * sec,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := hist(tc.claims...)
			h.Meta.Holders, h.Up = tc.holders, tc.up
			m := Check(h, Options{}).Metrics
			got := Unavailability(h)
			if !reflect.DeepEqual(got, tc.unavail) {
				t.Fatalf("unavailable %v, want %v", got, tc.unavail)
			}
			var total int64
			for _, u := range tc.unavail {
				total += u.To - u.From
			}
			if m.UnavailableNs != total || m.MaxGapNs != tc.maxGap || m.UnavailableFraction != float64(total)/float64(100*sec) {
				t.Errorf("metrics %+v, want unavailable %d, max gap %d", m, total, tc.maxGap)
			}
		})
	}
}

func TestLeaderChanges(t *testing.T) {
	L := history.LeaderLease
	cases := []struct {
		name   string
		claims []history.Claim
		want   int
	}{
		{"none", nil, 0},
		{"first acquisition is not a change", []history.Claim{cl("A", L, 1, 0, 10)}, 0},
		{"renewals are not changes", []history.Claim{cl("A", L, 1, 0, 10), cl("A", L, 2, 10, 20), cl("A", L, 3, 25, 30)}, 0},
		{"handoffs", []history.Claim{cl("B", L, 2, 10, 20), cl("A", L, 1, 0, 10), cl("C", L, 3, 20, 30), cl("A", L, 4, 40, 50)}, 3},
		{"other leases do not count", []history.Claim{cl("A", L, 1, 0, 10), cl("B", "x", 1, 10, 20), cl("A", L, 1, 20, 30)}, 0},
		{"empty claims do not count", []history.Claim{cl("A", L, 1, 0, 10), cl("B", L, 2, 10, 10), cl("A", L, 3, 10, 30)}, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Check(hist(tc.claims...), Options{}).Metrics.LeaderChanges; got != tc.want {
				t.Fatalf("leader changes %d, want %d", got, tc.want)
			}
		})
	}
}

func TestRecoveryNeverHeldAgain(t *testing.T) {
	h := hist(cl("A", history.LeaderLease, 1, 0, 80))
	h.Faults = []history.Fault{fault("crash", 85, 90, "A")}
	got := Check(h, Options{}).Metrics.Recoveries
	want := []Recovery{{Fault: "crash", Nodes: []string{"A"}, Start: 85 * sec, End: 90 * sec, Caused: true,
		UnavailableAt: 85 * sec, HeldAgainAt: 100 * sec, Recovered: false, RecoveryNs: 15 * sec, AfterEndNs: 10 * sec}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("recoveries\n got %+v\nwant %+v", got, want)
	}
}

func TestEmptyWindowMetrics(t *testing.T) {
	h := &history.History{Meta: history.Meta{Start: 5, End: 5, IssuerMessages: 10}}
	r := Check(h, Options{})
	if r.Verdict != Ok || r.Metrics.UnavailableFraction != 0 || r.Metrics.IssuerMsgsPerSec != 0 || r.Metrics.Recoveries == nil {
		t.Fatalf("empty history: %+v", r)
	}
	for name, c := range map[string]PropertyCheck{"p1": r.Checks.P1, "p2": r.Checks.P2, "p3": r.Checks.P3, "p4": r.Checks.P4} {
		if c.Status != Skipped || c.Note == "" {
			t.Errorf("%s: %+v, want skipped with a reason", name, c)
		}
	}
}

// TestKeysUnavailable: key lease 0 is held from 10s to the end but for [50s, 60s) (10s
// of its 90s: 1/9); key lease 1 from 20s to the end with no gap (0); the mean is 1/18.
// A key lease's time before its first claim does not count, nor does the leader lease.
func TestKeysUnavailable(t *testing.T) {
	k0, k1 := history.KeysPrefix+"A/0", history.KeysPrefix+"A/1"
	h := hist(cl("A", k0, 1, 10, 50), cl("A", k0, 3, 60, 100), cl("A", k1, 2, 20, 70), cl("A", k1, 2, 65, 100),
		cl("B", history.LeaderLease, 1, 0, 100))
	m := Check(h, Options{}).Metrics
	if m.KeyLeases != 2 {
		t.Fatalf("KeyLeases = %d, want 2", m.KeyLeases)
	}
	if want := 1.0 / 18; m.KeysUnavailableFraction < want-1e-9 || m.KeysUnavailableFraction > want+1e-9 {
		t.Errorf("KeysUnavailableFraction = %v, want %v", m.KeysUnavailableFraction, want)
	}
	if m.UnavailableFraction != 0 {
		t.Errorf("the leader lease was held throughout, yet UnavailableFraction = %v", m.UnavailableFraction)
	}
	if n := Check(hist(cl("B", history.LeaderLease, 1, 0, 100)), Options{}).Metrics; n.KeyLeases != 0 || n.KeysUnavailableFraction != 0 {
		t.Errorf("a run without key leases measured %d key leases, %v unavailable", n.KeyLeases, n.KeysUnavailableFraction)
	}
}
