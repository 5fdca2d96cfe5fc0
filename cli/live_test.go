package cli

import (
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/history"
	"github.com/leasesim/leasesim/internal/bundle"
	"github.com/leasesim/leasesim/internal/exit"
	"github.com/leasesim/leasesim/internal/liverun"
	"github.com/leasesim/leasesim/internal/suitedir"
	"github.com/leasesim/leasesim/live"
	"github.com/leasesim/leasesim/result"
)

// An --endpoints where no etcd listens is bad input (exit 2) within seconds, and the
// message names the flag and the endpoint. It used to hang until interrupted.
func TestLiveUnreachableEndpoint(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen on 127.0.0.1: %v", err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now: connections are refused
	start := time.Now()
	code, out, errOut := leasesim(t, "live", "etcd", "--endpoints", addr, "--duration", "4s")
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("took %v, want at most 10s", took)
	}
	if code != exit.BadInput {
		t.Fatalf("exit %d, want %d\n%s\n%s", code, exit.BadInput, out, errOut)
	}
	if !strings.Contains(errOut, "--endpoints "+addr) || !strings.Contains(errOut, "no etcd reachable") {
		t.Errorf("message %q does not name --endpoints and %s", errOut, addr)
	}
}

// liveResult is a trial as live.RunTrials returns it, judged by the checker.
func liveResult(trial int, h *history.History) live.TrialResult {
	check := checker.Check(h, checker.Options{})
	j := live.Judge(check, h.Meta.End)
	return live.TrialResult{Trial: trial, Seed: uint64(trial + 1), Scenario: h.Meta.Scenario, Verdict: j.Verdict,
		BeliefOverlaps: j.BeliefOverlaps, EffectiveOverlaps: j.EffectiveOverlaps, OtherFindings: j.Other, Check: check, History: h}
}

// A live run's directory: a trial with only belief overlaps is not a failure, a trial
// with a stale write is; the report shows the first in amber under "Live trials" and the
// second under Failures too.
func TestLiveResultsAndReport(t *testing.T) {
	const s = int64(time.Second)
	trial := func(stale bool) *history.History {
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
		return h
	}
	results := []live.TrialResult{liveResult(0, trial(false)), liveResult(1, trial(true))}
	if results[0].Verdict != live.VerdictOK || results[1].Verdict != live.VerdictViolated {
		t.Fatalf("verdicts %s, %s; want ok, violated", results[0].Verdict, results[1].Verdict)
	}
	dir := t.TempDir()
	// As the command does: each trial's directory and the results so far after each trial.
	w := &liverun.Writer{Dir: dir, Scenario: "live-etcd"}
	for _, r := range results {
		if err := w.Add(r); err != nil {
			t.Fatal(err)
		}
		if err := suitedir.WriteResults(dir, []result.ScenarioResult{w.Suite()}); err != nil {
			t.Fatal(err)
		}
	}
	for path, want := range map[string]bool{"trials/trial-0/timeline.svg": true, "failures/trial-0": false, "failures/trial-1/bundle.json": true} {
		if _, err := os.Stat(filepath.Join(dir, path)); (err == nil) != want {
			t.Errorf("%s exists: %v, want %v", path, err == nil, want)
		}
	}
	raw, err := os.ReadFile(filepath.Join(dir, "failures/trial-1/bundle.json"))
	if err != nil {
		t.Fatal(err)
	}
	var info bundle.Info
	if err := json.Unmarshal(raw, &info); err != nil || len(info.Findings) != 2 || !strings.HasPrefix(info.Findings[0], "p2 [A B]") ||
		!strings.HasPrefix(info.Findings[1], "expected: 1 belief overlaps") {
		t.Errorf("bundle findings %q (%v); want the stale write, then the belief overlap as expected", info.Findings, err)
	}
	out := filepath.Join(dir, "report")
	// Trial 1's stale write fails the live results: report exits with that verdict.
	if code, o, e := leasesim(t, "report", dir, "--out", out); code != exit.Violated {
		t.Fatalf("report exit %d, want %d\n%s\n%s", code, exit.Violated, o, e)
	}
	page, err := os.ReadFile(filepath.Join(out, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<h2>Live trials</h2>", `A,B: 1s from 4s</span>`, `<span class="chip bad">A,B at 7s</span>`,
		"<h3>live-etcd trial 1 (live), seed 2</h3>", "belief overlaps (expected)"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if strings.Contains(string(page), "live-etcd trial 0 (live)") {
		t.Error("the trial with only belief overlaps is listed under Failures")
	}
}

// Bad --members values are refused before anything starts, naming the flag.
func TestLiveMembersFlag(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--members", "0"}, "--members 0: expected 1 to 5"},
		{[]string{"--members", "7"}, "--members 7: expected 1 to 5"},
		{[]string{"--members", "3", "--endpoints", "127.0.0.1:1"}, "--members 3 with --endpoints"},
		{[]string{"--scenario", "etcd-raft-partition-1-2"}, "partitions the issuer cluster"},
	} {
		code, out, errOut := leasesim(t, append([]string{"live", "etcd"}, c.args...)...)
		if code != exit.BadInput || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q\n%s", c.args, code, errOut, exit.BadInput, c.want, out)
		}
	}
}
