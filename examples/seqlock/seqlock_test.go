package seqlock_test

import (
	"slices"
	"testing"

	"github.com/leasesim/leasesim/examples/seqlock"
	"github.com/leasesim/leasesim/leasesimtest"
)

// TestSeqlock checks the correct service against the catalog's lease scenarios (run
// with seqlock in place of the lease protocol, with their lease, renew and guard) and
// against random fault schedules.
func TestSeqlock(t *testing.T) {
	leasesimtest.Run(t, seqlock.Protocol,
		leasesimtest.Catalog("lease-*"),
		leasesimtest.Catalog("fault-*"),
		leasesimtest.Random(20),
		leasesimtest.Seeds(10),
		leasesimtest.CheckDeterminism())
}

// TestBrokenSeqlockFails checks that the harness catches the broken service: a holder
// cut off from Q keeps the lock, so two holders hold it (P1); the resource's sequencer
// check still rejects the old holder's writes (no P2).
func TestBrokenSeqlockFails(t *testing.T) {
	rep, err := leasesimtest.Check(seqlock.Broken, leasesimtest.Catalog("lease-cut"), leasesimtest.Seeds(5),
		leasesimtest.Out(t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	if got := rep.Kinds(); !slices.Contains(got, "p1") || slices.Contains(got, "p2") {
		t.Fatalf("broken seqlock: violated %v, want p1 and not p2", got)
	}
	if len(rep.Failures) != rep.Runs {
		t.Errorf("%d of %d seeds failed; the cut should break every one", len(rep.Failures), rep.Runs)
	}
	t.Logf("as expected (%v):\n%s", rep.Kinds(), rep.Failures[0].Message)
}
