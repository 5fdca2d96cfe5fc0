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

// expired is an issuer's expiry of node's lease under epoch (0: any), acted on at at.
func expired(node, lease string, epoch uint64, at float64) history.Status {
	return history.Status{Issuer: "Q", Node: node, Kind: history.StatusExpired, At: secs(at), Lease: lease, Epoch: epoch}
}

// TestP4KeyLeaseExpiry: once the issuer expired a lease that kept a node's keys alive and
// deleted them, the node's claims on that lease (under that grant) that had started by
// then have ended. A status without a lease (declared-failed) keeps its old meaning: only
// the liveness lease is checked.
func TestP4KeyLeaseExpiry(t *testing.T) {
	const k0, k1 = "keys/A/0", "keys/A/1"
	type want struct {
		Lease    string
		From, To int64
		Holders  []string
		Detail   string
	}
	cases := []struct {
		name     string
		claims   []history.Claim
		statuses []history.Status
		want     []want
	}{
		{"holds: the claim ended before the expiry", []history.Claim{cl("A", k0, 7, 0, 8)}, []history.Status{expired("A", k0, 7, 10)}, nil},
		{"holds: the claim ended exactly at the expiry", []history.Claim{cl("A", k0, 7, 0, 10)}, []history.Status{expired("A", k0, 7, 10)}, nil},
		{"violated: the claim outlived the deletion", []history.Claim{cl("A", k0, 7, 0, 11.5)}, []history.Status{expired("A", k0, 7, 10)},
			[]want{{k0, secs(10), secs(11.5), []string{"A", "Q"},
				"Q expired A's lease keys/A/0 (epoch 7) and deleted its keys at 10s but A's claim on it ran until 11.5s, 1.5s after the deletion"}}},
		{"violated: the claim never ended", []history.Claim{{Holder: "A", Lease: k0, Epoch: 7, From: secs(1), To: history.Forever, End: history.EndDeadline}},
			[]history.Status{expired("A", k0, 7, 10)},
			[]want{{k0, secs(10), history.Forever, []string{"A", "Q"},
				"Q expired A's lease keys/A/0 (epoch 7) and deleted its keys at 10s but A's claim on it never ended"}}},
		{"violated: an expiry without a grant covers every grant", []history.Claim{cl("A", k0, 9, 0, 12)}, []history.Status{expired("A", k0, 0, 10)},
			[]want{{k0, secs(10), secs(12), []string{"A", "Q"},
				"Q expired A's lease keys/A/0 (epoch 9) and deleted its keys at 10s but A's claim on it ran until 12s, 2s after the deletion"}}},
		{"holds: a claim started after the expiry (a new lease, keys put again)", []history.Claim{cl("A", k0, 7, 0, 9), cl("A", k0, 8, 10.5, 30)},
			[]history.Status{expired("A", k0, 7, 10)}, nil},
		{"holds: a claim under another grant is not about it", []history.Claim{cl("A", k0, 8, 5, 30)}, []history.Status{expired("A", k0, 7, 10)}, nil},
		{"holds: another key lease of the node is not about it", []history.Claim{cl("A", k1, 7, 0, 30), cl("A", k0, 7, 0, 9)}, []history.Status{expired("A", k0, 7, 10)}, nil},
		{"holds: another node's claim on the name is not about it", []history.Claim{cl("B", k0, 7, 0, 30)}, []history.Status{expired("A", k0, 7, 10)}, nil},
		{"holds: no lease field (declared-failed) checks the liveness lease only", []history.Claim{cl("A", k0, 7, 0, 30), cl("A", history.LivenessLease("A"), 1, 0, 9)},
			[]history.Status{declared("A", 10)}, nil},
		{"violated: declared-failed still catches the liveness claim", []history.Claim{cl("A", k0, 7, 0, 30), cl("A", history.LivenessLease("A"), 1, 0, 12)},
			[]history.Status{declared("A", 10)},
			[]want{{history.LivenessLease("A"), secs(10), secs(12), []string{"A", "Q"},
				"Q declared A failed at 10s but A's liveness claim (epoch 1) ran until 12s, 2s longer"}}},
		{"violated: repeated expiries report the earliest", []history.Claim{cl("A", k0, 7, 0, 20)},
			[]history.Status{expired("A", k0, 7, 15), expired("A", k0, 7, 10)},
			[]want{{k0, secs(10), secs(20), []string{"A", "Q"},
				"Q expired A's lease keys/A/0 (epoch 7) and deleted its keys at 10s but A's claim on it ran until 20s, 10s after the deletion"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := hist(tc.claims...)
			h.Meta.Issuers = []string{"Q"}
			h.Statuses = tc.statuses
			if err := h.Validate(); err != nil {
				t.Fatalf("the hand-made history is not valid: %v", err)
			}
			r := Check(h, Options{})
			var got []want
			for _, f := range r.Findings {
				if f.Kind == P4 {
					got = append(got, want{f.Lease, f.From, f.To, f.Holders, f.Detail})
				}
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("P4 findings\n%+v\nwant\n%+v", got, tc.want)
			}
			if r.Checks.P4.Status != Checked || r.Checks.P4.Items != len(tc.statuses) {
				t.Errorf("P4 check %+v; want checked over %d statuses", r.Checks.P4, len(tc.statuses))
			}
		})
	}
}
