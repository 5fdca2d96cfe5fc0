package checker

import (
	"reflect"
	"strings"
	"testing"

	"github.com/leasesim/leasesim/history"
)

func TestSweepP1(t *testing.T) {
	L := history.LeaderLease
	runEnd := cl("B", L, 2, 90, 0)
	runEnd.To, runEnd.End = history.Forever, history.EndRunEnd
	forever := cl("A", "x", 1, 0, 0)
	forever.To = history.Forever
	cases := []struct {
		name   string
		claims []history.Claim
		want   []window
	}{
		{"no claims", nil, nil},
		{"one holder", []history.Claim{cl("A", L, 1, 0, 10)}, nil},
		{"touching handoff", []history.Claim{cl("A", L, 1, 0, 10), cl("B", L, 2, 10, 20)}, nil},
		{"gap handoff", []history.Claim{cl("A", L, 1, 0, 10), cl("B", L, 2, 12, 20)}, nil},
		{"overlap", []history.Claim{cl("A", L, 1, 0, 10), cl("B", L, 2, 5, 20)},
			[]window{{L, secs(5), secs(10), "A,B"}}},
		{"input order does not matter", []history.Claim{cl("B", L, 2, 5, 20), cl("A", L, 1, 0, 10)},
			[]window{{L, secs(5), secs(10), "A,B"}}},
		{"same holder renewals overlap", []history.Claim{cl("A", L, 1, 0, 10), cl("A", L, 2, 5, 15), cl("A", L, 3, 15, 30)}, nil},
		{"same holder overlap then another holder", []history.Claim{cl("A", L, 1, 0, 10), cl("A", L, 2, 5, 20), cl("B", L, 3, 15, 25)},
			[]window{{L, secs(15), secs(20), "A,B"}}},
		{"zero-length claim inside another", []history.Claim{cl("A", L, 1, 0, 10), cl("B", L, 2, 5, 5)}, nil},
		{"zero-length claim at a handoff", []history.Claim{cl("A", L, 1, 0, 10), cl("B", L, 2, 10, 10), cl("C", L, 3, 10, 20)}, nil},
		{"identical claims of two holders", []history.Claim{cl("A", L, 1, 0, 10), cl("B", L, 1, 0, 10)},
			[]window{{L, 0, secs(10), "A,B"}}},
		{"three holders in one window", []history.Claim{cl("A", L, 1, 0, 10), cl("B", L, 2, 2, 8), cl("C", L, 3, 6, 12)},
			[]window{{L, secs(2), secs(10), "A,B,C"}}},
		{"two separate windows", []history.Claim{cl("A", L, 1, 0, 10), cl("B", L, 2, 5, 12), cl("A", L, 3, 20, 30), cl("C", L, 4, 25, 40)},
			[]window{{L, secs(5), secs(10), "A,B"}, {L, secs(25), secs(30), "A,C"}}},
		{"different leases do not conflict", []history.Claim{cl("A", "x", 1, 0, 10), cl("B", "y", 1, 0, 10)}, nil},
		{"many leases, each its own windows", []history.Claim{
			cl("A", "x", 1, 0, 10), cl("B", "x", 2, 5, 10), cl("A", "y", 1, 0, 10), cl("C", "y", 2, 9, 11), cl("C", "z", 1, 0, 50)},
			[]window{{"x", secs(5), secs(10), "A,B"}, {"y", secs(9), secs(10), "A,C"}}},
		{"claim that never ends", []history.Claim{forever, cl("B", "x", 2, 50, 60)},
			[]window{{"x", secs(50), secs(60), "A,B"}}},
		{"claim clipped by the run end", []history.Claim{cl("A", L, 1, 0, 100), runEnd},
			[]window{{L, secs(90), secs(100), "A,B"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := hist(tc.claims...)
			r := Check(h, Options{})
			got := windowsOf(r.Findings, P1)
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("P1 windows\n got %v\nwant %v\nfindings %+v", got, tc.want, r.Findings)
			}
			if r.Violated(P1) != (len(tc.want) > 0) {
				t.Errorf("Violated(P1) = %v with %d windows", r.Violated(P1), len(tc.want))
			}
			if len(tc.claims) > 0 && r.Checks.P1.Method != "sweep+porcupine" {
				t.Errorf("P1 method = %q, want sweep+porcupine", r.Checks.P1.Method)
			}
			// Porcupine ran and agreed: no "checker bug" finding.
			for _, f := range r.Findings {
				if strings.Contains(f.Detail, "checker bug") {
					t.Errorf("sweep and porcupine disagree: %s", f.Detail)
				}
			}
		})
	}
}

func TestP1DetailNamesHoldersEpochsAndDuration(t *testing.T) {
	L := history.LeaderLease
	cases := []struct {
		name   string
		claims []history.Claim
		want   string
	}{
		{"two", []history.Claim{cl("A", L, 3, 0, 31.23), cl("B", L, 4, 30, 40)},
			"A (epoch 3) and B (epoch 4) both claimed leader for 1.23s from 30s"},
		{"three", []history.Claim{cl("A", L, 1, 0, 10), cl("B", L, 2, 2, 8), cl("C", L, 3, 6, 12)},
			"A (epoch 1), B (epoch 2) and C (epoch 3) all claimed leader for 8s from 2s"},
		{"renewals under several epochs", []history.Claim{cl("A", L, 1, 0, 10), cl("A", L, 2, 9, 20), cl("B", L, 5, 5, 15)},
			"A (epochs 1, 2) and B (epoch 5) both claimed leader for 10s from 5s"},
		{"until the run ended", []history.Claim{cl("A", L, 1, 0, 100), cl("B", L, 2, 99.5, 100)},
			"A (epoch 1) and B (epoch 2) both claimed leader for 500ms from 1m39.5s until the run ended"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := Check(hist(tc.claims...), Options{SkipPorcupine: true})
			if len(r.Findings) != 1 || r.Findings[0].Detail != tc.want {
				t.Fatalf("findings %+v\nwant one with detail %q", r.Findings, tc.want)
			}
		})
	}
}

func TestFormatDur(t *testing.T) {
	cases := map[int64]string{
		0: "0ns", 999: "999ns", 4500: "4.5µs", 450 * 1e6: "450ms", 1230 * 1e6: "1.23s", 12345 * 1e6: "12.3s",
		125 * sec: "2m5s", history.Forever: "forever",
	}
	for ns, want := range cases {
		if got := formatDur(ns); got != want {
			t.Errorf("formatDur(%d) = %q, want %q", ns, got, want)
		}
	}
}
