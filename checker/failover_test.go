package checker

import (
	"reflect"
	"testing"

	"github.com/leasesim/leasesim/history"
)

// TestFailovers: which crashes are failovers and how long each gap is.
func TestFailovers(t *testing.T) {
	L := history.LeaderLease
	crashEnded := func(c history.Claim) history.Claim { c.End = history.EndCrash; return c }
	cases := []struct {
		name   string
		claims []history.Claim
		faults []history.Fault
		want   []Failover
	}{
		{"the leader crashes, B takes over",
			[]history.Claim{crashEnded(cl("A", L, 1, 0, 20)), cl("B", L, 2, 25, 100)},
			[]history.Fault{fault("crash", 20, 30, "A")},
			[]Failover{{Holder: "A", At: 20 * sec, HeldAgainAt: 25 * sec, Recovered: true, GapNs: 5 * sec}}},
		{"a follower's crash is no failover",
			[]history.Claim{cl("A", L, 1, 0, 100), cl("B", history.LivenessLease("B"), 1, 0, 20)},
			[]history.Fault{fault("crash", 20, 30, "B")}, nil},
		{"an issuer's crash is no failover",
			[]history.Claim{cl("A", L, 1, 0, 100)},
			[]history.Fault{fault("crash", 20, 30, "Q")}, nil},
		{"a pause is no failover",
			[]history.Claim{cl("A", L, 1, 0, 20), cl("B", L, 2, 25, 100)},
			[]history.Fault{fault("pause", 20, 30, "A")}, nil},
		{"the leader itself takes the lease back after its restart",
			[]history.Claim{crashEnded(cl("A", L, 1, 0, 20)), cl("A", L, 2, 31, 100)},
			[]history.Fault{fault("crash", 20, 30, "A")},
			[]Failover{{Holder: "A", At: 20 * sec, HeldAgainAt: 31 * sec, Recovered: true, GapNs: 11 * sec}}},
		{"nobody leads again",
			[]history.Claim{crashEnded(cl("A", L, 1, 0, 20))},
			[]history.Fault{fault("crash", 20, 100, "A")},
			[]Failover{{Holder: "A", At: 20 * sec, HeldAgainAt: 100 * sec, GapNs: 80 * sec}}},
		{"two crashes in turn",
			[]history.Claim{crashEnded(cl("A", L, 1, 0, 20)), crashEnded(cl("B", L, 2, 24, 50)), cl("C", L, 3, 57, 100)},
			[]history.Fault{fault("crash", 20, 100, "A"), fault("crash", 50, 100, "B")},
			[]Failover{{Holder: "A", At: 20 * sec, HeldAgainAt: 24 * sec, Recovered: true, GapNs: 4 * sec},
				{Holder: "B", At: 50 * sec, HeldAgainAt: 57 * sec, Recovered: true, GapNs: 7 * sec}}},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			h := hist(tt.claims...)
			h.Faults = tt.faults
			m := Check(h, Options{SkipPorcupine: true}).Metrics
			if !reflect.DeepEqual(m.Failovers, tt.want) {
				t.Fatalf("failovers\n got %+v\nwant %+v", m.Failovers, tt.want)
			}
			lo, hi, ok := m.FailoverGaps()
			if ok != (len(tt.want) > 0) {
				t.Errorf("FailoverGaps ok = %v with %d failovers", ok, len(tt.want))
			}
			if len(tt.want) > 0 {
				wlo, whi := tt.want[0].GapNs, tt.want[0].GapNs
				for _, f := range tt.want {
					wlo, whi = min(wlo, f.GapNs), max(whi, f.GapNs)
				}
				if lo != wlo || hi != whi {
					t.Errorf("FailoverGaps = %v, %v; want %v, %v", lo, hi, wlo, whi)
				}
			}
		})
	}
}

// TestRecoveryAfterHeal: measured from each fault's end, over the faults that caused
// unavailability.
func TestRecoveryAfterHeal(t *testing.T) {
	L := history.LeaderLease
	h := hist(cl("A", L, 1, 0, 20), cl("B", L, 2, 40, 60), cl("B", L, 2, 61, 100))
	h.Faults = []history.Fault{
		fault("partition", 15, 30, "A"), // unavailable from 20s, held again at 40s: 10s after the heal
		fault("crash", 55, 58, "C"),     // no gap inside
		fault("pause", 60, 60.5, "B"),   // gap [60s, 61s): held again 0.5s after the heal
	}
	if got := Check(h, Options{SkipPorcupine: true}).Metrics.RecoveryAfterHeal(); got != 10*sec {
		t.Errorf("RecoveryAfterHeal = %v, want 10s", got)
	}
}

// TestWriteCounts: rejected writes, and accepted writes older than an accepted newer
// epoch, in order of arrival.
func TestWriteCounts(t *testing.T) {
	w := func(writer string, epoch uint64, at float64, ok bool) history.Write {
		return history.Write{Writer: writer, Epoch: epoch, Sent: secs(at) - 1, At: secs(at), Accepted: ok}
	}
	cases := []struct {
		name               string
		writes             []history.Write
		rejected, staleAcc int
	}{
		{"none", nil, 0, 0},
		{"in order", []history.Write{w("A", 1, 1, true), w("A", 1, 2, true), w("B", 2, 3, true)}, 0, 0},
		{"fenced", []history.Write{w("A", 1, 1, true), w("B", 2, 2, true), w("A", 1, 3, false), w("A", 1, 4, false)}, 2, 0},
		{"unfenced", []history.Write{w("A", 1, 1, true), w("B", 2, 2, true), w("A", 1, 3, true), w("A", 1, 4, true)}, 0, 2},
		{"by arrival, not history order", []history.Write{w("A", 1, 3, true), w("B", 2, 2, true)}, 0, 1},
		{"a rejected newer epoch does not make older ones stale", []history.Write{w("B", 2, 1, false), w("A", 1, 2, true)}, 1, 0},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			h := hist()
			h.Writes = tt.writes
			m := Check(h, Options{SkipPorcupine: true}).Metrics
			if m.RejectedWrites != tt.rejected || m.AcceptedStaleWrites != tt.staleAcc {
				t.Errorf("rejected %d, accepted stale %d; want %d, %d", m.RejectedWrites, m.AcceptedStaleWrites, tt.rejected, tt.staleAcc)
			}
		})
	}
}
