package checker

import (
	"reflect"
	"slices"
	"testing"

	"github.com/leasesim/leasesim/history"
)

// The tests in this file kill mutants that gremlins found surviving the rest of the
// checker's tests (scripts/mutation.sh; docs/mutation.md): each pins an edge of a
// definition — an equality, a tie, an empty case — that the other tests did not reach.

// TestMetricsEdges pins the availability metrics at their boundaries.
func TestMetricsEdges(t *testing.T) {
	L := history.LeaderLease
	cases := []struct {
		name    string
		holders []string
		up      []history.Up
		claims  []history.Claim
		faults  []history.Fault
		want    func(m Metrics) (got, want any)
	}{
		{
			// Two gaps of 10s: MaxGapFrom is the first one's start, not the last one's.
			name: "the first of two equal longest gaps", holders: []string{"A"},
			claims: []history.Claim{cl("A", L, 1, 0, 20), cl("A", L, 1, 30, 50), cl("A", L, 1, 60, 100)},
			want:   func(m Metrics) (any, any) { return [2]int64{m.MaxGapNs, m.MaxGapFrom}, [2]int64{10 * sec, 20 * sec} },
		},
		{
			// No holders listed: the holders are taken from Up records and claims on the
			// measured lease only. X's claim on another lease does not make X a holder
			// (one with no Up record would want the lease all along).
			name: "a claim on another lease names no holder", holders: nil,
			up:     []history.Up{{Holder: "A", From: 0, To: 50 * sec}},
			claims: []history.Claim{cl("A", L, 1, 10, 50), cl("X", "other", 1, 0, 100)},
			want:   func(m Metrics) (any, any) { return m.UnavailableNs, 10 * sec },
		},
		{
			// A fault over [10s, 20s) and a gap from 20s: the gap begins at the fault's
			// end, outside its half-open window, so the fault did not cause it.
			name: "a gap starting at a fault's end", holders: []string{"A"},
			claims: []history.Claim{cl("A", L, 1, 0, 20), cl("A", L, 1, 30, 100)},
			faults: []history.Fault{fault("pause", 10, 20, "A")},
			want:   func(m Metrics) (any, any) { return m.Recoveries[0].Caused, false },
		},
		{
			// The same gap, a fault over [10s, 20s + 1ns): it caused it.
			name: "a gap starting just inside a fault", holders: []string{"A"},
			claims: []history.Claim{cl("A", L, 1, 0, 20), cl("A", L, 1, 30, 100)},
			faults: []history.Fault{{Kind: "pause", Nodes: []string{"A"}, From: 10 * sec, To: 20*sec + 1}},
			want:   func(m Metrics) (any, any) { return m.Recoveries[0].Caused, true },
		},
		{
			// The gap from 20s never closes inside the window [0, 100s): a claim from
			// 100s on (a live history's, recorded past the end) holds at no instant of
			// it, so the fault's damage is not recovered.
			name: "a claim starting at the window's end", holders: []string{"A"},
			claims: []history.Claim{cl("A", L, 1, 0, 20), cl("A", L, 1, 100, 120)},
			faults: []history.Fault{fault("pause", 10, 30, "A")},
			want: func(m Metrics) (any, any) {
				r := m.Recoveries[0]
				return [2]any{r.Recovered, r.HeldAgainAt}, [2]any{false, 100 * sec}
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := hist(tc.claims...)
			h.Meta.Holders = tc.holders
			h.Up = tc.up
			h.Faults = tc.faults
			got, want := tc.want(Check(h, Options{}).Metrics)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got %v, want %v", got, want)
			}
		})
	}
}

// TestBadOp: an operation that returns at the instant it is called is a valid
// (instantaneous) operation; only one that returns before its call is not.
func TestBadOp(t *testing.T) {
	for _, tc := range []struct {
		name string
		ops  []history.Op
		want int
	}{
		{"none", nil, -1},
		{"instantaneous", []history.Op{{Call: 5, Return: 5}}, -1},
		{"ordinary then instantaneous", []history.Op{{Call: 1, Return: 3}, {Call: 4, Return: 4}}, -1},
		{"returns before its call", []history.Op{{Call: 1, Return: 3}, {Call: 4, Return: 3}}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := badOp(&history.History{Ops: tc.ops}); got != tc.want {
				t.Errorf("badOp = %d, want %d", got, tc.want)
			}
		})
	}
}

// TestFormatDurMinutes: from a minute up, durations are rounded to 100ms.
func TestFormatDurMinutes(t *testing.T) {
	for _, tc := range []struct {
		ns   int64
		want string
	}{
		{125*sec + 312_345_678, "2m5.3s"},
		{60 * sec, "1m0s"},
		{-(61*sec + 960_000_000), "-1m2s"},
	} {
		if got := formatDur(tc.ns); got != tc.want {
			t.Errorf("formatDur(%d) = %q, want %q", tc.ns, got, tc.want)
		}
	}
}

// TestUnion pins union's contract: sorted by start, touching intervals merged, nested
// ones absorbed, empty ones dropped.
func TestUnion(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   []Interval
		want []Interval
	}{
		{"nested, the outer given last", []Interval{{2, 5}, {0, 10}}, []Interval{{0, 10}}},
		{"nested, ending first", []Interval{{0, 10}, {2, 5}, {20, 30}}, []Interval{{0, 10}, {20, 30}}},
		{"touching", []Interval{{5, 10}, {0, 5}}, []Interval{{0, 10}}},
		{"empty dropped", []Interval{{5, 5}, {7, 6}}, nil},
		{"empty between", []Interval{{0, 2}, {3, 3}, {4, 6}}, []Interval{{0, 2}, {4, 6}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := union(append([]Interval(nil), tc.in...)); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("union(%v) = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}

// TestSortFindings pins the order of findings: From, then Kind, Holders, Lease, To and
// Detail.
func TestSortFindings(t *testing.T) {
	want := []Finding{
		{From: 1, Kind: P1, Holders: []string{"B"}},
		{From: 2, Kind: P1, Holders: []string{"A", "B"}, Lease: "x", To: 9},
		{From: 2, Kind: P1, Holders: []string{"A", "B"}, Lease: "y", To: 3, Detail: "a"},
		{From: 2, Kind: P1, Holders: []string{"A", "B"}, Lease: "y", To: 3, Detail: "b"},
		{From: 2, Kind: P1, Holders: []string{"A", "B"}, Lease: "y", To: 4},
		{From: 2, Kind: P1, Holders: []string{"A", "C"}},
		{From: 2, Kind: P2, Holders: []string{"A"}},
		{From: 2, Kind: P4, Holders: []string{"A"}},
	}
	for shift := range want {
		got := append(append([]Finding(nil), want[shift:]...), want[:shift]...)
		slices.Reverse(got)
		SortFindings(got)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("rotation %d reversed: sorted\n%+v\nwant\n%+v", shift, got, want)
		}
	}
}
