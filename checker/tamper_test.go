package checker

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/leasesim/leasesim/history"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// cleanRun is a small, correct run: A leads, crashes, B takes over after a gap, with
// fenced writes, liveness leases, a client history and the declaration of A's failure
// after A's liveness lease ended.
func cleanRun() *history.History {
	L, live := history.LeaderLease, history.LivenessLease
	h := hist(
		cl("A", L, 1, 0, 30), cl("B", L, 2, 40, 100),
		cl("A", live("A"), 1, 0, 30), cl("B", live("B"), 1, 0, 100), cl("C", live("C"), 1, 0, 100),
	)
	h.Claims[1].End = history.EndRunEnd
	h.Meta.Resource, h.Meta.Issuers = "R", []string{"Q"}
	h.Writes = []history.Write{wr("A", 1, 10, true), wr("A", 1, 20, true), wr("B", 2, 45, true), wr("A", 1, 46, false), wr("B", 2, 50, true)}
	h.Ops = []history.Op{put("A", "k", "a", 1, 2), get("B", "k", "a", 3, 4), put("B", "k", "b", 41, 42), get("C", "k", "b", 43, 44)}
	h.Statuses = []history.Status{declared("A", 35), {Issuer: "Q", Node: "B", Kind: history.StatusPromoted, At: secs(39)}}
	h.Faults = []history.Fault{fault("crash", 30, 33, "A")}
	h.Up = []history.Up{{Holder: "A", From: 0, To: 30 * sec}, {Holder: "A", From: 33 * sec, To: 100 * sec}}
	return h
}

// TestTamperedHistoryFailsEachCheck: the clean run passes; each tampering breaks exactly
// the property it targets.
func TestTamperedHistoryFailsEachCheck(t *testing.T) {
	m := registerModel()
	opt := Options{OpModel: &m}
	if r := Check(cleanRun(), opt); r.Verdict != Ok || len(r.Findings) != 0 {
		t.Fatalf("clean run: verdict %s, findings %+v", r.Verdict, r.Findings)
	}
	cases := []struct {
		name   string
		tamper func(h *history.History)
		kind   Kind
	}{
		{"A's leader claim runs into B's", func(h *history.History) { h.Claims[0].To = secs(41) }, P1},
		{"a stale write accepted", func(h *history.History) { h.Writes[3].Accepted = true }, P2},
		{"a read returns an overwritten value", func(h *history.History) { h.Ops[3].OutValue = "a" }, P3},
		{"A declared failed while its liveness lease runs", func(h *history.History) { h.Statuses[0].At = secs(25) }, P4},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := cleanRun()
			tc.tamper(h)
			r := Check(h, opt)
			if r.Verdict != Violated || !r.Violated(tc.kind) {
				t.Fatalf("verdict %s, findings %+v; want %s violated", r.Verdict, r.Findings, tc.kind)
			}
			for _, f := range r.Findings {
				if f.Kind != tc.kind {
					t.Errorf("tampering for %s also produced %+v", tc.kind, f)
				}
			}
		})
	}
}

// TestResultJSONGolden pins the JSON form of a result (what `--json` prints). Run with
// -update to rewrite testdata/result.golden.json.
func TestResultJSONGolden(t *testing.T) {
	h := cleanRun()
	h.Claims[0].To = secs(41)
	h.Writes[3].Accepted = true
	h.Statuses[0].At = secs(25)
	h.Meta.Events, h.Meta.Messages, h.Meta.IssuerMessages = 1000, 400, 200
	m := registerModel()
	got, err := json.MarshalIndent(Check(h, Options{OpModel: &m}), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", "result.golden.json")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("result JSON differs from %s (run with -update if intended):\n%s", path, got)
	}
}

// TestResultIsDeterministic: the same history in a different record order gives the same
// result.
func TestResultIsDeterministic(t *testing.T) {
	a := cleanRun()
	a.Claims[0].To = secs(41)
	a.Writes[3].Accepted = true
	b := cleanRun()
	b.Claims[0].To = secs(41)
	b.Writes[3].Accepted = true
	for i, j := 0, len(b.Claims)-1; i < j; i, j = i+1, j-1 {
		b.Claims[i], b.Claims[j] = b.Claims[j], b.Claims[i]
	}
	ja, _ := json.Marshal(Check(a, Options{}))
	jb, _ := json.Marshal(Check(b, Options{}))
	if !bytes.Equal(ja, jb) {
		t.Fatalf("claim order changed the result:\n%s\n%s", ja, jb)
	}
}
