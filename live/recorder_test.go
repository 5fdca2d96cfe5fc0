package live

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/history"
)

func TestRecorderBuildsHistory(t *testing.T) {
	r := newRecorder()
	r.started("A", 1)
	r.started("B", 2)
	r.started("C", 3)
	r.won("A", 5, 10)
	r.writeSent("A", 5, 1, 20)
	r.writeAccepted(resourceValue{"A", 5, 1}, 100, 25)
	// The announcement is read after the watch event: Sent is capped at At.
	r.writeAccepted(resourceValue{"A", 5, 2}, 101, 30)
	r.writeSent("A", 5, 2, 31)
	r.lost("A", 4, 40) // a stale epoch does not end the current claim
	r.won("B", 6, 45)
	r.lost("A", 5, 50)
	r.writeSent("A", 5, 3, 48)
	r.writeRejected("A", 5, 3, 60, 5)
	r.won("C", 7, 70)
	r.exited("C", 80) // killed while leading
	r.fault(history.Fault{Kind: "pause", Nodes: []string{"C"}, From: 65, To: 65})
	r.seal(100)
	r.won("A", 9, 110) // after the end: ignored

	h := r.history(history.Meta{Live: true, End: 100}, true)
	wantClaims := []history.Claim{
		{Holder: "A", Lease: history.LeaderLease, Epoch: 5, From: 10, To: 50, End: history.EndDeadline},
		{Holder: "B", Lease: history.LeaderLease, Epoch: 6, From: 45, To: 100, End: history.EndRunEnd},
		{Holder: "C", Lease: history.LeaderLease, Epoch: 7, From: 70, To: 80, End: history.EndCrash},
	}
	if !reflect.DeepEqual(h.Claims, wantClaims) {
		t.Errorf("claims\ngot  %+v\nwant %+v", h.Claims, wantClaims)
	}
	wantWrites := []history.Write{
		{Writer: "A", Epoch: 5, Token: 5, Sent: 20, At: 25, Accepted: true},
		{Writer: "A", Epoch: 5, Token: 5, Sent: 30, At: 30, Accepted: true},
		{Writer: "A", Epoch: 5, Token: 5, Sent: 48, At: 60, Accepted: false},
	}
	if !reflect.DeepEqual(h.Writes, wantWrites) {
		t.Errorf("writes\ngot  %+v\nwant %+v", h.Writes, wantWrites)
	}
	wantUp := []history.Up{{Holder: "A", From: 1, To: 100}, {Holder: "B", From: 2, To: 100}, {Holder: "C", From: 3, To: 80}}
	if !reflect.DeepEqual(h.Up, wantUp) {
		t.Errorf("up\ngot  %+v\nwant %+v", h.Up, wantUp)
	}
	if len(h.Faults) != 1 {
		t.Errorf("faults: %+v", h.Faults)
	}
	j := Judge(checker.Check(h, checker.Options{}), h.Meta.End)
	var got [][3]any
	for _, w := range j.BeliefOverlaps {
		got = append(got, [3]any{w.Holders, w.From, w.To})
	}
	if want := [][3]any{{[]string{"A", "B"}, int64(45), int64(50)}, {[]string{"B", "C"}, int64(70), int64(80)}}; !reflect.DeepEqual(got, want) {
		t.Errorf("belief overlaps %+v, want %+v", got, want)
	}
}

func TestRecorderLeaderIsNewestOpenClaim(t *testing.T) {
	r := newRecorder()
	if got := r.leader(); got != "" {
		t.Fatalf("leader with no claims = %q", got)
	}
	r.won("A", 5, 10)
	r.won("B", 8, 20) // A still believes (paused, say); B is the newer leader
	if got := r.leader(); got != "B" {
		t.Fatalf("leader = %q, want B", got)
	}
	r.exited("B", 30)
	if got := r.leader(); got != "A" {
		t.Fatalf("leader after B died = %q, want A", got)
	}
}

func TestTrialResultJSONHasEmptyLists(t *testing.T) {
	cfg, err := Config{HolderCommand: []string{"x"}}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	tr := newTrial(&cfg, 0, []string{"127.0.0.1:2379"}, "run")
	tr.rec.seal(5)
	b, err := json.Marshal(tr.result(5))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"verdict":"ok"`, `"belief_overlaps":[]`, `"effective_overlaps":[]`, `"ports":[]`, `"pids":[]`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("JSON %s lacks %s", b, want)
		}
	}
}
