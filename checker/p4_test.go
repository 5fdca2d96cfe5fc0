package checker

import (
	"reflect"
	"testing"

	"github.com/leasesim/leasesim/history"
)

func declared(node string, at float64) history.Status {
	return history.Status{Issuer: "Q", Node: node, Kind: history.StatusDeclaredFailed, At: secs(at)}
}

func TestP4StatusAgreement(t *testing.T) {
	live := history.LivenessLease
	type want struct {
		Lease    string
		From, To int64
		Holders  []string
	}
	cases := []struct {
		name     string
		claims   []history.Claim
		statuses []history.Status
		want     []want
	}{
		{"claim ended before", []history.Claim{cl("A", live("A"), 1, 0, 8)}, []history.Status{declared("A", 10)}, nil},
		{"claim ended exactly then", []history.Claim{cl("A", live("A"), 1, 0, 10)}, []history.Status{declared("A", 10)}, nil},
		{"claim still running", []history.Claim{cl("A", live("A"), 1, 0, 12)}, []history.Status{declared("A", 10)},
			[]want{{live("A"), secs(10), secs(12), []string{"A", "Q"}}}},
		{"claim starting at the declaration", []history.Claim{cl("A", live("A"), 1, 10, 12)}, []history.Status{declared("A", 10)},
			[]want{{live("A"), secs(10), secs(12), []string{"A", "Q"}}}},
		{"a later claim (registered again) is not about it", []history.Claim{cl("A", live("A"), 1, 0, 5), cl("A", live("A"), 2, 11, 20)}, []history.Status{declared("A", 10)}, nil},
		{"another node's liveness lease does not count", []history.Claim{cl("B", live("B"), 1, 0, 20), cl("A", history.LeaderLease, 1, 0, 20)}, []history.Status{declared("A", 10)}, nil},
		{"promotions are not declarations", []history.Claim{cl("A", live("A"), 1, 0, 20)},
			[]history.Status{{Issuer: "Q", Node: "A", Kind: history.StatusPromoted, At: secs(10)}}, nil},
		{"repeated declarations report the earliest", []history.Claim{cl("A", live("A"), 1, 0, 20)},
			[]history.Status{declared("A", 15), declared("A", 10), declared("A", 12)},
			[]want{{live("A"), secs(10), secs(20), []string{"A", "Q"}}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := hist(tc.claims...)
			h.Statuses = tc.statuses
			r := Check(h, Options{})
			var got []want
			for _, f := range r.Findings {
				if f.Kind == P4 {
					got = append(got, want{f.Lease, f.From, f.To, f.Holders})
				}
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("P4 findings %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestP4Detail(t *testing.T) {
	h := hist(cl("A", history.LivenessLease("A"), 2, 0, 33))
	h.Statuses = []history.Status{declared("A", 31.2)}
	r := Check(h, Options{})
	want := "Q declared A failed at 31.2s but A's liveness claim (epoch 2) ran until 33s, 1.8s longer"
	if len(r.Findings) != 1 || r.Findings[0].Detail != want {
		t.Fatalf("findings %+v\nwant detail %q", r.Findings, want)
	}
	if r.Checks.P4.Status != Checked || r.Checks.P4.Items != 1 {
		t.Errorf("P4 check %+v", r.Checks.P4)
	}
}
