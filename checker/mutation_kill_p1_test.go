package checker

import (
	"fmt"
	"strings"
	"testing"

	"github.com/leasesim/leasesim/history"
)

// The tests in this file kill mutants of lockmodel.go, p1cross.go and sweep.go that
// gremlins found surviving the rest of the checker's tests (scripts/mutation.sh files
// checker lockmodel.go; docs/mutation.md).

// TestP1Metadata pins the descriptions porcupine's visualization shows for P1: a
// stretch's claims (at most 8, then a count), a claim's clock, and an operation's epochs.
func TestP1Metadata(t *testing.T) {
	L := history.LeaderLease
	var claims []history.Claim
	for i := range 10 {
		claims = append(claims, cl("A", L, uint64(i+1), float64(i), float64(i+1)))
	}
	claims[1].Clock = "" // a claim without a deadline
	h := hist(claims...)

	one := "claim #0: A, epoch 1, [0s, 1s), ended by deadline, mono clock"
	if got := claimsMetadata(h, []int32{0}); got != one {
		t.Errorf("one claim: %q, want %q", got, one)
	}
	two := one + "; claim #1: A, epoch 2, [1s, 2s), ended by deadline, no clock"
	if got := claimsMetadata(h, []int32{0, 1}); got != two {
		t.Errorf("two claims: %q, want %q", got, two)
	}
	all := make([]int32, 10)
	for i := range all {
		all[i] = int32(i)
	}
	got := claimsMetadata(h, all)
	if n := strings.Count(got, "claim #"); n != 8 || !strings.HasPrefix(got, two+"; ") || !strings.HasSuffix(got, "; claim #7: A, epoch 8, [7s, 8s), ended by deadline, mono clock; … 2 more") {
		t.Errorf("ten claims: %q, want the first 8 (%d shown) and \"… 2 more\"", got, n)
	}

	describe := lockModel(nil).DescribeOperation
	for _, tt := range []struct {
		in   lockInput
		want string
	}{
		{lockInput{Lease: L, Holder: "A", Epoch: 3, LastEpoch: 3, Acquire: true}, "A acquires leader (epoch 3)"},
		{lockInput{Lease: L, Holder: "A", Epoch: 3, LastEpoch: 5}, "A releases leader (epochs 3–5)"},
	} {
		if got := describe(&tt.in, nil); got != tt.want {
			t.Errorf("DescribeOperation(%+v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestP1PartitionsJoinAndMerge pins how p1Partitions makes stretches and partitions:
// claims of one holder that touch are one stretch, and consecutive segments merge until
// a partition has at least maxOps operations.
func TestP1PartitionsJoinAndMerge(t *testing.T) {
	L := history.LeaderLease
	describe := func(parts []p1Part) string {
		var b strings.Builder
		for _, p := range parts {
			fmt.Fprintf(&b, "[%d,%d):", p.from/sec, p.to/sec)
			for _, sp := range p.spans {
				fmt.Fprintf(&b, " %d-%d#%d", sp.from/sec, sp.to/sec, len(sp.claims))
			}
			fmt.Fprintf(&b, " ops %d; ", p.hi-p.lo)
		}
		return b.String()
	}
	// Four segments of one stretch each (2 operations), the first two stretches
	// of two touching claims.
	h := hist(cl("A", L, 1, 0, 5), cl("A", L, 1, 5, 10), cl("B", L, 2, 10, 15), cl("B", L, 2, 15, 20),
		cl("C", L, 3, 20, 30), cl("A", L, 4, 30, 40))
	for _, tt := range []struct {
		maxOps int
		want   string
	}{
		{0, "[0,10): 0-10#2 ops 2; [10,20): 10-20#2 ops 2; [20,30): 20-30#1 ops 2; [30,40): 30-40#1 ops 2; "},
		{2, "[0,10): 0-10#2 ops 2; [10,20): 10-20#2 ops 2; [20,30): 20-30#1 ops 2; [30,40): 30-40#1 ops 2; "},
		{3, "[0,20): 0-10#2 10-20#2 ops 4; [20,40): 20-30#1 30-40#1 ops 4; "},
		{4, "[0,20): 0-10#2 10-20#2 ops 4; [20,40): 20-30#1 30-40#1 ops 4; "},
		{5, "[0,30): 0-10#2 10-20#2 20-30#1 ops 6; [30,40): 30-40#1 ops 2; "},
	} {
		parts, _ := p1Partitions(h, tt.maxOps, false)
		if got := describe(parts); got != tt.want {
			t.Errorf("maxOps %d:\n got %s\nwant %s", tt.maxOps, got, tt.want)
		}
	}
}

// TestCrossCheckOverlapAtAPartitionsEnd: partitions are half-open, [from, to). An
// overlap the sweep (wrongly) reports at the instant a partition ends, where no other
// partition begins, lies outside every partition; one inside a partition is matched to it.
func TestCrossCheckOverlapAtAPartitionsEnd(t *testing.T) {
	L := history.LeaderLease
	clean := hist(cl("A", L, 1, 0, 10), cl("B", L, 2, 20, 30))
	for _, tt := range []struct {
		at     float64
		detail string
	}{
		{10, "checker bug: the sweep found an overlap on leader at 10s outside every porcupine partition"},
		{9, "checker bug: on leader between 0s and 10s, the sweep found an overlap, but porcupine linearized the claims as an exclusive lock"},
		{20, "checker bug: on leader between 20s and 30s, the sweep found an overlap, but porcupine linearized the claims as an exclusive lock"},
	} {
		fake := []overlap{{lease: L, from: secs(tt.at), to: secs(tt.at + 1), holders: []string{"A", "B"}}}
		x := crossCheckP1(clean, fake, 0, 0)
		if len(x.findings) != 1 || x.findings[0].Detail != tt.detail {
			t.Errorf("an overlap reported at %gs: findings %+v\nwant one: %q", tt.at, x.findings, tt.detail)
		}
	}
}

// TestSweepEdges pins the sweep where its shortcuts could go wrong: names are interned
// with a one-entry cache that must not mistake the empty name for "no name yet" (Check
// never fails, even on a history Validate would reject), and an overlap remembers at
// most maxClaimsPerOverlap claims for its finding's detail.
func TestSweepEdges(t *testing.T) {
	L := history.LeaderLease
	t.Run("empty names", func(t *testing.T) {
		h := hist(cl("", "", 1, 0, 10), cl("B", "", 2, 5, 15))
		r := Check(h, Options{SkipPorcupine: true})
		got := windowsOf(r.Findings, P1)
		if want := []window{{"", secs(5), secs(10), ",B"}}; len(got) != 1 || got[0] != want[0] {
			t.Fatalf("P1 windows %+v, want %+v", got, want)
		}
	})
	t.Run("claims remembered per overlap", func(t *testing.T) {
		// A holds [0, 50s); B's 300 claims of epochs 1–300 overlap each other and A's,
		// one starting every 100ms. The overlap remembers A's claim and B's first 255.
		claims := []history.Claim{cl("A", L, 1, 0, 50)}
		for i := range 300 {
			claims = append(claims, history.Claim{Holder: "B", Lease: L, Epoch: uint64(i + 1),
				From: int64(i) * 1e8, To: int64(i)*1e8 + 2e8, End: history.EndDeadline, Clock: "mono"})
		}
		r := Check(hist(claims...), Options{SkipPorcupine: true})
		want := "A (epoch 1) and B (epochs 1–255) both claimed leader for 30.1s from 0s"
		if len(r.Findings) != 1 || r.Findings[0].Detail != want {
			t.Fatalf("findings %+v\nwant one: %q", r.Findings, want)
		}
	})
	t.Run("the heap of ends", func(t *testing.T) {
		// Found by a random search against the brute-force definition with the heap's
		// right child mistaken (sweep.go's pop): after D's end at 6s the heap must still
		// give C's end (7s) before A's (9s) and B's (14s). One window, [1s, 9s).
		h := hist(cl("D", L, 1, 1, 6), cl("C", L, 2, 5, 7), cl("B", L, 3, 5, 14), cl("A", L, 4, 0, 9))
		h.Meta.Holders = []string{"A", "B", "C", "D"}
		got := windowsOf(Check(h, Options{SkipPorcupine: true}).Findings, P1)
		if want := []window{{L, secs(1), secs(9), "A,B,C,D"}}; len(got) != 1 || got[0] != want[0] {
			t.Fatalf("P1 windows %+v, want %+v", got, want)
		}
	})
	t.Run("details", func(t *testing.T) {
		for _, tt := range []struct {
			name string
			h    *history.History
			want string
		}{
			// Up to four epochs are listed, more are a range.
			{"four epochs", hist(cl("A", L, 1, 0, 10), cl("A", L, 2, 10, 20), cl("A", L, 3, 20, 30), cl("A", L, 4, 30, 40), cl("B", L, 9, 5, 35)),
				"A (epochs 1, 2, 3, 4) and B (epoch 9) both claimed leader for 30s from 5s"},
			{"five epochs", hist(cl("A", L, 1, 0, 10), cl("A", L, 2, 10, 20), cl("A", L, 3, 20, 30), cl("A", L, 4, 30, 40), cl("A", L, 5, 40, 50), cl("B", L, 9, 5, 45)),
				"A (epochs 1–5) and B (epoch 9) both claimed leader for 40s from 5s"},
			// No observed window (Meta.End == Meta.Start == 0, a history Validate would
			// reject): an overlap does not last "until the run ended".
			{"no window", &history.History{Claims: []history.Claim{cl("A", L, 1, 0, 10), cl("B", L, 2, 5, 15)}},
				"A (epoch 1) and B (epoch 2) both claimed leader for 5s from 5s"},
		} {
			r := Check(tt.h, Options{SkipPorcupine: true})
			if len(r.Findings) != 1 || r.Findings[0].Detail != tt.want {
				t.Errorf("%s: findings %+v\nwant one: %q", tt.name, r.Findings, tt.want)
			}
		}
	})
	t.Run("claims ending together", func(t *testing.T) {
		// A's 300 claims of epochs 1–300 all end at 50s; B's claim from 40s opens the
		// window when all of them are active. The claims remembered are the first 256 of
		// the heap of ends, whose ties are broken by start (then index): which ones that
		// is shows in the detail.
		var claims []history.Claim
		for i := range 300 {
			claims = append(claims, history.Claim{Holder: "A", Lease: L, Epoch: uint64(i + 1),
				From: int64(i) * 1e8, To: 50 * sec, End: history.EndDeadline, Clock: "mono"})
		}
		claims = append(claims, cl("B", L, 999, 40, 45))
		r := Check(hist(claims...), Options{SkipPorcupine: true})
		want := "A (epochs 1–256) and B (epoch 999) both claimed leader for 5s from 40s"
		if len(r.Findings) != 1 || r.Findings[0].Detail != want {
			t.Fatalf("findings %+v\nwant one: %q", r.Findings, want)
		}
	})
}

// TestLockModelStep pins the lock model's sequential specification on every input,
// including the re-entrant ones p1Partitions never makes (it joins a holder's claims):
// the model must stay right for any input.
func TestLockModelStep(t *testing.T) {
	step := lockModel(nil).Step
	L := history.LeaderLease
	acq := func(h string) *lockInput { return &lockInput{Lease: L, Holder: h, Acquire: true} }
	rel := func(h string) *lockInput { return &lockInput{Lease: L, Holder: h} }
	for _, tt := range []struct {
		name  string
		state *lockState
		in    *lockInput
		ok    bool
		want  lockState
	}{
		{"acquire a free lock", freeLock, acq("A"), true, lockState{"A", 1}},
		{"acquire a free lock, shared state", freeLock, &lockInput{Holder: "A", Acquire: true, held: &lockState{"A", 1}}, true, lockState{"A", 1}},
		{"acquire another's lock", &lockState{"B", 1}, acq("A"), false, lockState{"B", 1}},
		{"acquire another's lock, shared state", &lockState{"B", 1}, &lockInput{Holder: "A", Acquire: true, held: &lockState{"A", 1}}, false, lockState{"B", 1}},
		{"acquire one's own lock again", &lockState{"A", 1}, acq("A"), true, lockState{"A", 2}},
		{"release one's lock", &lockState{"A", 1}, rel("A"), true, lockState{}},
		{"release one of two", &lockState{"A", 2}, rel("A"), true, lockState{"A", 1}},
		{"release another's lock", &lockState{"B", 1}, rel("A"), false, lockState{"B", 1}},
		{"release a free lock", freeLock, rel("A"), false, lockState{}},
	} {
		ok, next := step(tt.state, tt.in, nil)
		if ok != tt.ok || *next.(*lockState) != tt.want {
			t.Errorf("%s: Step = %v, %+v; want %v, %+v", tt.name, ok, *next.(*lockState), tt.ok, tt.want)
		}
	}
}
