package checker

import (
	"testing"

	"github.com/leasesim/leasesim/history"
)

// TestP2NamesTheFirstNewerWrite kills a mutant of p2.go that gremlins cannot run (its
// condition is a case clause, which Go's coverage profile does not count; docs/mutation.md):
// a stale write's finding names the write that made the newer epoch the newest, the
// first accepted one, not a later write of the same epoch.
func TestP2NamesTheFirstNewerWrite(t *testing.T) {
	h := hist()
	h.Writes = []history.Write{wr("A", 1, 1, true), wr("B", 2, 10, true), wr("B", 2, 12, true), wr("A", 1, 15, true)}
	r := Check(h, Options{SkipPorcupine: true})
	want := "the resource accepted a write of A under epoch 1 at 15s, after B's write under epoch 2 at 10s"
	if len(r.Findings) != 1 || r.Findings[0].Detail != want {
		t.Fatalf("findings %+v\nwant one: %q", r.Findings, want)
	}
}
