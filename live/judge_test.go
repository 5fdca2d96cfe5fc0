package live

import (
	"reflect"
	"testing"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/history"
)

func claim(holder string, epoch uint64, from, to int64) history.Claim {
	return history.Claim{Holder: holder, Lease: history.LeaderLease, Epoch: epoch, From: from, To: to, End: history.EndDeadline}
}

func accepted(writer string, epoch uint64, at int64) history.Write {
	return history.Write{Writer: writer, Epoch: epoch, Token: epoch, Sent: at, At: at, Accepted: true}
}

const ms = int64(1_000_000)

// liveHistory is a live history of holders A and B over [0, 10s).
func liveHistory(claims []history.Claim, writes []history.Write, statuses []history.Status) *history.History {
	return &history.History{
		Meta:   history.Meta{Protocol: Protocol, Live: true, End: 10_000 * ms, Holders: []string{"A", "B"}, Issuers: []string{"etcd"}},
		Claims: claims, Writes: writes, Statuses: statuses,
	}
}

// Every window Judge reports is one of checker.Check's findings on the same history, and
// the verdict follows them: the live mode has one judge. The last cases are histories the
// deleted classifier (which looked only at leader-lease claims and accepted writes)
// called clean, or located differently, and the checker does not.
func TestJudgeIsTheCheckersFindings(t *testing.T) {
	handover := []history.Claim{claim("A", 1, 0, 3000*ms), claim("B", 2, 2000*ms, 9000*ms)}
	tests := []struct {
		name                     string
		h                        *history.History
		verdict                  string
		belief, effective, other int
		// effectiveFrom is where the first effective overlap starts.
		effectiveFrom int64
	}{
		{"clean handover", liveHistory([]history.Claim{claim("A", 1, 0, 2000*ms), claim("B", 2, 2000*ms, 9000*ms)},
			[]history.Write{accepted("A", 1, 100*ms), accepted("B", 2, 2100*ms)}, nil), VerdictOK, 0, 0, 0, 0},
		{"old leader still believes, fenced: expected", liveHistory(handover,
			[]history.Write{accepted("A", 1, 100*ms), accepted("B", 2, 2100*ms)}, nil), VerdictOK, 1, 0, 0, 0},
		// The old classifier started this window at B's first write (2.1s); the checker
		// reports the stale write itself.
		{"stale write lands", liveHistory(handover,
			[]history.Write{accepted("A", 1, 100*ms), accepted("B", 2, 2100*ms), accepted("A", 1, 2500*ms)}, nil),
			VerdictViolated, 1, 1, 0, 2500 * ms},
		// A declared-failed status while A still claims its liveness lease: the old
		// classifier never looked at statuses and called this trial ok.
		{"status disagreement the old classifier ignored", liveHistory(
			[]history.Claim{claim("A", 1, 0, 2000*ms), {Holder: "A", Lease: history.LivenessLease("A"), Epoch: 1, From: 0, To: 5000 * ms}},
			[]history.Write{accepted("A", 1, 100*ms)},
			[]history.Status{{Issuer: "etcd", Node: "A", Kind: history.StatusDeclaredFailed, At: 3000 * ms}}),
			VerdictViolated, 0, 0, 1, 0},
		// Two holders claiming another lease: the old classifier read only the leader
		// lease; the checker reports it, as a belief overlap.
		{"overlap on another lease", liveHistory(
			[]history.Claim{{Holder: "A", Lease: "other", Epoch: 1, From: 0, To: 3000 * ms}, {Holder: "B", Lease: "other", Epoch: 2, From: 1000 * ms, To: 4000 * ms}},
			nil, nil), VerdictOK, 1, 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := checker.Check(tt.h, checker.Options{PorcupineTimeout: DefaultPorcupineTimeout})
			j := Judge(res, tt.h.Meta.End)
			if j.Verdict != tt.verdict {
				t.Errorf("verdict %s, want %s; findings %+v", j.Verdict, tt.verdict, res.Findings)
			}
			if len(j.BeliefOverlaps) != tt.belief || len(j.EffectiveOverlaps) != tt.effective || len(j.Other) != tt.other {
				t.Errorf("belief %d, effective %d, other %d; want %d, %d, %d; findings %+v",
					len(j.BeliefOverlaps), len(j.EffectiveOverlaps), len(j.Other), tt.belief, tt.effective, tt.other, res.Findings)
			}
			var windows []Window
			windows = append(append(append(windows, j.BeliefOverlaps...), j.EffectiveOverlaps...), j.Other...)
			if len(windows) != len(res.Findings) {
				t.Fatalf("%d windows from %d findings", len(windows), len(res.Findings))
			}
			for _, w := range windows {
				found := false
				for _, f := range res.Findings {
					found = found || (f.Kind == w.Kind && f.From == w.From && f.To == w.To && f.Detail == w.Detail && reflect.DeepEqual(f.Holders, w.Holders))
				}
				if !found {
					t.Errorf("window %+v is none of the checker's findings %+v", w, res.Findings)
				}
			}
			if tt.effective > 0 && j.EffectiveOverlaps[0].From != tt.effectiveFrom {
				t.Errorf("effective overlap from %d, want the stale write's %d", j.EffectiveOverlaps[0].From, tt.effectiveFrom)
			}
		})
	}
}

// Judge decides from the checker's result alone: hand-made results, with no history.
func TestJudgeVerdictFromResult(t *testing.T) {
	p1 := checker.Finding{Kind: checker.P1, Lease: "leader", Holders: []string{"A", "B"}, From: 2 * ms, To: 5 * ms, Detail: "A (1) and B (2) both claimed leader"}
	bug := checker.Finding{Kind: checker.P1, Lease: "leader", Holders: []string{"A", "B"}, From: 2 * ms, To: 5 * ms, Detail: "checker bug: on leader between 2ms and 5ms, porcupine says linearizable"}
	p2 := checker.Finding{Kind: checker.P2, Holders: []string{"A", "B"}, From: 7 * ms, To: 7 * ms, Detail: "stale"}
	open := checker.Finding{Kind: checker.P1, Lease: "leader", Holders: []string{"A", "B"}, From: 8 * ms, To: history.Forever, Detail: "no end"}
	undecided := checker.Checks{P1: checker.PropertyCheck{Status: checker.Undecided}}
	tests := []struct {
		name    string
		res     checker.Result
		verdict string
		belief  []Window
	}{
		{"nothing", checker.Result{Verdict: checker.Ok}, VerdictOK, []Window{}},
		{"belief overlaps only", checker.Result{Verdict: checker.Violated, Findings: []checker.Finding{p1}}, VerdictOK,
			[]Window{{Kind: checker.P1, Holders: []string{"A", "B"}, From: 2 * ms, To: 5 * ms, MS: 3, Detail: p1.Detail}}},
		{"a stale write", checker.Result{Verdict: checker.Violated, Findings: []checker.Finding{p1, p2}}, VerdictViolated,
			[]Window{{Kind: checker.P1, Holders: []string{"A", "B"}, From: 2 * ms, To: 5 * ms, MS: 3, Detail: p1.Detail}}},
		{"checker disagreement is judged", checker.Result{Verdict: checker.Violated, Findings: []checker.Finding{bug}}, VerdictViolated, []Window{}},
		{"undecided", checker.Result{Verdict: checker.Unknown, Checks: undecided}, VerdictUnknown, []Window{}},
		{"undecided behind belief overlaps", checker.Result{Verdict: checker.Violated, Findings: []checker.Finding{p1}, Checks: undecided}, VerdictUnknown,
			[]Window{{Kind: checker.P1, Holders: []string{"A", "B"}, From: 2 * ms, To: 5 * ms, MS: 3, Detail: p1.Detail}}},
		{"open window cut at the end", checker.Result{Verdict: checker.Violated, Findings: []checker.Finding{open}}, VerdictOK,
			[]Window{{Kind: checker.P1, Holders: []string{"A", "B"}, From: 8 * ms, To: 10 * ms, MS: 2, Detail: open.Detail}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := Judge(tt.res, 10*ms)
			if j.Verdict != tt.verdict {
				t.Errorf("verdict %s, want %s", j.Verdict, tt.verdict)
			}
			if !reflect.DeepEqual(j.BeliefOverlaps, tt.belief) {
				t.Errorf("belief overlaps\ngot  %+v\nwant %+v", j.BeliefOverlaps, tt.belief)
			}
		})
	}
}
