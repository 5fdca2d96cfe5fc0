package liverun

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/history"
	"github.com/leasesim/leasesim/live"
)

// trial is a live trial in which A and B both believe they lead from 4s to 5s (a belief
// overlap), and with stale, the resource accepts A's write after B's (an effective
// overlap, judged).
func trial(n int, stale bool) live.TrialResult {
	const s = int64(time.Second)
	h := &history.History{
		Meta: history.Meta{Scenario: "live-etcd", Protocol: live.Protocol, Live: true, End: 10 * s, Holders: []string{"A", "B"}},
		Claims: []history.Claim{{Holder: "A", Lease: history.LeaderLease, Epoch: 1, From: 0, To: 5 * s, End: history.EndDeadline},
			{Holder: "B", Lease: history.LeaderLease, Epoch: 2, From: 4 * s, To: 10 * s, End: history.EndRunEnd}},
		Writes: []history.Write{{Writer: "A", Epoch: 1, Token: 1, Sent: s, At: s, Accepted: true},
			{Writer: "B", Epoch: 2, Token: 2, Sent: 6 * s, At: 6 * s, Accepted: true}},
	}
	if stale {
		h.Writes = append(h.Writes, history.Write{Writer: "A", Epoch: 1, Sent: 7 * s, At: 7 * s, Accepted: true})
	}
	check := checker.Check(h, checker.Options{})
	j := live.Judge(check, h.Meta.End)
	return live.TrialResult{Trial: n, Seed: uint64(n + 1), Scenario: "live-etcd", Verdict: j.Verdict,
		BeliefOverlaps: j.BeliefOverlaps, EffectiveOverlaps: j.EffectiveOverlaps, OtherFindings: j.Other, Check: check, History: h}
}

// TestWriterAndSuite: a trial with only a belief overlap is written under trials/ and
// meets the live expectation (p2 holds); a trial with a stale write goes under failures/
// with a bundle, and fails it. The report's sections read both back.
func TestWriterAndSuite(t *testing.T) {
	dir := t.TempDir()
	w := &Writer{Dir: dir, Scenario: "live-etcd"}
	if err := w.Add(trial(0, false)); err != nil {
		t.Fatal(err)
	}
	if s := w.Suite(); !s.Met || len(s.Runs) != 1 || len(s.Expectations) != 1 || s.Expectations[0].Key != "p2" {
		t.Errorf("belief overlap only: %+v", s)
	}
	if err := w.Add(trial(1, true)); err != nil {
		t.Fatal(err)
	}
	if s := w.Suite(); s.Met || s.Expectations[0].Met {
		t.Errorf("a stale write: met %v, %+v", s.Met, s.Expectations)
	}
	for path, want := range map[string]bool{"trials/trial-0/timeline.svg": true, "failures/trial-0": false,
		"failures/trial-1/bundle.json": true, "trials.jsonl": true} {
		if _, err := os.Stat(filepath.Join(dir, path)); (err == nil) != want {
			t.Errorf("%s exists: %v, want %v", path, err == nil, want)
		}
	}
	// A judged finding other than p2 (a p3 or p4 finding, say) fails the trials too.
	other := trial(2, false)
	other.Verdict = live.VerdictViolated
	if s := Suite([]live.TrialResult{other}, "live-etcd"); s.Met || !s.Expectations[0].Met {
		t.Errorf("another judged finding: met %v, p2 %+v; want not met with p2 met", s.Met, s.Expectations)
	}
	secs, err := TrialSections(dir, dir)
	if err != nil || len(secs) != 2 || secs[0].Failure || !secs[1].Failure || len(secs[0].TimelineSVG) == 0 ||
		len(secs[0].Belief) != 1 || len(secs[1].Judged) != 1 {
		t.Errorf("sections: %+v, %v", secs, err)
	}
	if secs, err := TrialSections(t.TempDir(), dir); secs != nil || err != nil {
		t.Errorf("a directory without trials: %v, %v", secs, err)
	}
}
