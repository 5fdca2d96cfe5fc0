package cli

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// TestEventTallyCountsTranscriptLines feeds a transcript in pieces that split lines and
// checks each kind of line lands in its row, notes and swarm lines in none.
func TestEventTallyCountsTranscriptLines(t *testing.T) {
	transcript := "" +
		"            0s  swarm pause 1 node\n" +
		"            0s  start A\n" +
		"     1.234ms  timer A->A RenewTick\n" +
		"     2.5ms  deliver A->Q Request seq=7\n" +
		"     3ms  deliver Q->A Grant epoch=1 seq=7 token=1 subject=A time=10000000000\n" +
		"     4ms  A: write from A epoch=1 token=1 accepted=true\n" +
		"     5ms  drop Q->B Deny epoch=1 (lost)\n" +
		"     6ms  drop A->Q Request seq=8 (cut in flight)\n" +
		"     7ms  claim ends at deadline: A leader\n" +
		"  1h0m0.000000001s  fault pause B\n" +
		"     9ms  fault pause B ends\n" +
		"     9ms  fault pause leader skipped: no holder claimed the lease\n" +
		"    10ms  timer A->A RenewTick\n"
	var tl eventTally
	for i := 0; i < len(transcript); i += 7 { // pieces that end mid-line
		if _, err := tl.Write([]byte(transcript[i:min(i+7, len(transcript))])); err != nil {
			t.Fatal(err)
		}
	}
	tl.flush()
	want := map[eventKey]int64{
		{kind: "start"}:                                             1,
		{kind: "timer", message: "RenewTick"}:                       2,
		{kind: "deliver", message: "Request"}:                       1,
		{kind: "deliver", message: "Grant"}:                         1,
		{kind: "drop", message: "Deny", detail: "lost"}:             1,
		{kind: "drop", message: "Request", detail: "cut in flight"}: 1,
		{kind: "claim-end"}:                                         1,
		{kind: "fault", message: "pause"}:                           1,
		{kind: "fault-end", message: "pause"}:                       1,
		{kind: "fault-skipped", message: "pause"}:                   1,
	}
	if len(tl.counts) != len(want) {
		t.Errorf("%d rows, want %d: %v", len(tl.counts), len(want), tl.counts)
	}
	for k, n := range want {
		if tl.counts[k] != n {
			t.Errorf("%+v: %d, want %d", k, tl.counts[k], n)
		}
	}
}

// TestBenchEventsReference runs bench --events on the reference workload: its timers and
// deliveries are the run's events, each renewal tick is there once per holder and
// simulated second, and --runs beside --events is refused.
func TestBenchEventsReference(t *testing.T) {
	code, out, errOut := leasesim(t, "bench", "--events", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var b eventBreakdown
	if err := json.Unmarshal([]byte(out), &b); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if b.Stepped != b.Events || b.Events == 0 {
		t.Errorf("timers and deliveries %d, events %d: want equal (no pause in the reference)", b.Stepped, b.Events)
	}
	rows := map[string]int64{}
	for _, r := range b.Rows {
		rows[r.Kind+" "+r.Message+" "+r.Detail] = r.PerRun
	}
	if got := rows["timer RenewTick "]; got != 5*3600 {
		t.Errorf("RenewTick timers: %d, want 18,000 (5 holders, renew 1s, one hour)", got)
	}
	if rows["deliver Request "] == 0 || rows["drop Request lost"] == 0 {
		t.Errorf("no delivered or lost requests: %v", rows)
	}
	code, out, _ = leasesim(t, "bench", "--events")
	if code != 0 || !strings.Contains(out, "RenewTick") || !strings.Contains(out, "per sim hour") {
		t.Errorf("exit %d, text output:\n%s", code, out)
	}
	for _, runs := range []string{"3", "0"} {
		if code, _, errOut = leasesim(t, "bench", "--events", "--runs", runs); code != 2 || !strings.Contains(errOut, "--events makes one run") {
			t.Errorf("--events --runs %s: exit %d, %q; want 2 refusing --runs beside --events", runs, code, errOut)
		}
	}
}

// TestPrintEventsKeepsColumns: a drop with a long reason ("cut in flight") widens the
// message column instead of pushing its numbers out of theirs.
func TestPrintEventsKeepsColumns(t *testing.T) {
	b := eventBreakdown{Scenario: "s", Seed: 1, Hours: 1, Stepped: 3, Rows: []eventRow{
		{Kind: "deliver", Message: "Raft", PerRun: 2},
		{Kind: "drop", Message: "Request", Detail: "destination down", PerRun: 1},
		{Kind: "timer", Message: "Tick", PerRun: 1},
	}}
	var out strings.Builder
	printEvents(&out, b, time.Hour)
	lines := strings.Split(out.String(), "\n")[1:5] // the header and the three rows
	end := strings.Index(lines[0], "per run") + len("per run")
	for _, l := range lines[1:] {
		if len(l) < end || l[end-1] == ' ' || (len(l) > end && l[end] != ' ') {
			t.Errorf("per run column ends at %d in the header, not in %q", end, l)
		}
	}
}
