package checker

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/leasesim/leasesim/history"
)

// TestCrossCheckReportsDisagreement feeds porcupine a sweep result that is wrong on
// purpose, in both directions, and expects "checker bug" findings.
func TestCrossCheckReportsDisagreement(t *testing.T) {
	L := history.LeaderLease
	overlapping := hist(cl("A", L, 1, 0, 10), cl("B", L, 2, 5, 20))
	clean := hist(cl("A", L, 1, 0, 10), cl("B", L, 2, 10, 20))

	x := crossCheckP1(overlapping, nil, 0, 0)
	if len(x.findings) != 1 || !strings.Contains(x.findings[0].Detail, "checker bug") ||
		!strings.Contains(x.findings[0].Detail, "sweep found no overlap") {
		t.Errorf("sweep missed an overlap: findings %+v, want one checker-bug finding", x.findings)
	}
	if x.illegal != 1 {
		t.Errorf("illegal partitions = %d, want 1", x.illegal)
	}

	fake := []overlap{{lease: L, from: secs(5), to: secs(10), holders: []string{"A", "B"}}}
	x = crossCheckP1(clean, fake, 0, 0)
	if len(x.findings) != 1 || !strings.Contains(x.findings[0].Detail, "porcupine linearized") {
		t.Errorf("sweep invented an overlap: findings %+v, want one checker-bug finding", x.findings)
	}

	outside := []overlap{{lease: "nosuch", from: secs(5), to: secs(10), holders: []string{"A", "B"}}}
	x = crossCheckP1(clean, outside, 0, 0)
	if len(x.findings) != 1 || !strings.Contains(x.findings[0].Detail, "outside every porcupine partition") {
		t.Errorf("overlap outside partitions: findings %+v", x.findings)
	}

	// And with the true sweep result they agree.
	ov, _ := sweepP1(overlapping)
	if x := crossCheckP1(overlapping, ov, 0, 0); len(x.findings) != 0 || x.illegal != 1 || x.status != Checked {
		t.Errorf("true sweep result: %+v, want agreement with 1 illegal partition", x)
	}
}

func TestP1PartitionsCutWhereTheLeaseIsFree(t *testing.T) {
	L := history.LeaderLease
	h := hist(
		cl("A", L, 1, 0, 10), cl("B", L, 2, 10, 20), // touching: a cut at 10
		cl("C", L, 3, 25, 40), cl("A", L, 4, 30, 35), // overlapping: one segment [25, 40)
		cl("B", L, 5, 40, 50), // cut at 40
		cl("A", "x", 1, 0, 5), // another lease
	)
	parts, ops := p1Partitions(h, 0, false)
	var got []string
	for _, p := range parts {
		got = append(got, fmt.Sprintf("%s[%d,%d):%d", p.lease, p.from/sec, p.to/sec, p.hi-p.lo))
	}
	want := []string{"leader[0,10):2", "leader[10,20):2", "leader[25,40):4", "leader[40,50):2", "x[0,5):2"}
	if !slices.Equal(got, want) {
		t.Errorf("partitions %v, want %v", got, want)
	}
	if len(ops) != 12 {
		t.Errorf("%d operations, want 12", len(ops))
	}
	// With a size floor, consecutive segments of one lease merge, never across leases.
	parts, _ = p1Partitions(h, 4, false)
	got = got[:0]
	for _, p := range parts {
		got = append(got, fmt.Sprintf("%s[%d,%d)", p.lease, p.from/sec, p.to/sec))
	}
	want = []string{"leader[0,20)", "leader[25,40)", "leader[40,50)", "x[0,5)"}
	if !slices.Equal(got, want) {
		t.Errorf("merged partitions %v, want %v", got, want)
	}
}

// genClaims draws a claim history over leases x and y and holders A–D with small integer
// times (seconds). Handoffs are guaranteed free of overlaps between distinct holders
// (consecutive holders with gaps >= 0, zero-length claims, and same-holder renewals that
// overlap their own claim); random claims overlap freely, and some of them are clipped at
// the run's end (To = Forever, End = run-end).
func genClaims(t *rapid.T, handoff bool) []history.Claim {
	holders := []string{"A", "B", "C", "D"}
	var out []history.Claim
	for _, lease := range []string{"x", "y"} {
		n := rapid.IntRange(0, 12).Draw(t, "n_"+lease)
		at := int64(rapid.IntRange(0, 5).Draw(t, "start_"+lease))
		for i := 0; i < n; i++ {
			h := rapid.SampledFrom(holders).Draw(t, "holder")
			epoch := uint64(rapid.IntRange(0, 9).Draw(t, "epoch"))
			if handoff {
				length := int64(rapid.IntRange(0, 8).Draw(t, "len"))
				out = append(out, history.Claim{Holder: h, Lease: lease, Epoch: epoch, From: at, To: at + length, End: history.EndDeadline})
				if length > 1 && rapid.Bool().Draw(t, "renew") {
					k := int64(rapid.IntRange(1, int(length-1)).Draw(t, "renew_at"))
					out = append(out, history.Claim{Holder: h, Lease: lease, Epoch: epoch + 1, From: at + k, To: at + length, End: history.EndReplaced})
				}
				at += length + int64(rapid.IntRange(0, 3).Draw(t, "gap"))
				continue
			}
			from := int64(rapid.IntRange(0, 40).Draw(t, "from"))
			c := history.Claim{Holder: h, Lease: lease, Epoch: epoch, From: from, To: from + int64(rapid.IntRange(0, 12).Draw(t, "len")), End: history.EndDeadline}
			if rapid.IntRange(0, 9).Draw(t, "clip") == 0 {
				c.To, c.End = history.Forever, history.EndRunEnd
			}
			out = append(out, c)
		}
	}
	// Producers write claims in any order.
	perm := rapid.Permutation(out).Draw(t, "order")
	return perm
}

// bruteP1 is the definition of P1 evaluated at every integer instant: the maximal runs of
// instants at which two or more distinct holders claim the same lease, with every holder
// that claimed during the run. Claims have integer ends, so this is exact.
func bruteP1(h *history.History) []window {
	var out []window
	for _, lease := range []string{"x", "y"} {
		open := false
		var cur window
		seen := map[string]bool{}
		for t := h.Meta.Start; t <= h.Meta.End; t++ {
			active := map[string]bool{}
			for _, c := range h.Claims {
				end := c.To
				if c.End == history.EndRunEnd && end > h.Meta.End && h.Meta.End > c.From {
					end = h.Meta.End
				}
				if c.Lease == lease && c.From <= t && t < end {
					active[c.Holder] = true
				}
			}
			if len(active) >= 2 {
				if !open {
					open, cur, seen = true, window{Lease: lease, From: t}, map[string]bool{}
				}
				for k := range active {
					seen[k] = true
				}
				continue
			}
			if open {
				open = false
				cur.To = t
				var hs []string
				for k := range seen {
					hs = append(hs, k)
				}
				slices.Sort(hs)
				cur.Holders = strings.Join(hs, ",")
				out = append(out, cur)
			}
		}
	}
	return out
}

func claimHistory(claims []history.Claim) *history.History {
	return &history.History{Meta: history.Meta{Start: 0, End: 60, Holders: []string{"A", "B", "C", "D"}}, Claims: claims}
}

// TestSweepMatchesDefinition checks the sweep against bruteP1 on random histories.
func TestSweepMatchesDefinition(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		h := claimHistory(genClaims(t, rapid.Bool().Draw(t, "handoff")))
		r := Check(h, Options{SkipPorcupine: true})
		got, want := windowsOf(r.Findings, P1), bruteP1(h)
		sortWindows(got)
		sortWindows(want)
		if !slices.Equal(got, want) {
			t.Fatalf("sweep windows %v\nbrute force  %v", got, want)
		}
	})
}

// TestHandoffsHaveNoOverlap: handoff histories never overlap, by construction.
func TestHandoffsHaveNoOverlap(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		h := claimHistory(genClaims(t, true))
		if r := Check(h, Options{}); len(r.Findings) > 0 || r.Verdict != Ok {
			t.Fatalf("handoff history: verdict %s, findings %+v", r.Verdict, r.Findings)
		}
	})
}

// TestSweepAndPorcupineAgree: on random histories, overlapping or not, porcupine finds a
// partition illegal exactly where the sweep found an overlap.
func TestSweepAndPorcupineAgree(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		h := claimHistory(genClaims(t, rapid.Bool().Draw(t, "handoff")))
		ov, _ := sweepP1(h)
		// Segment by segment (every cut its own partition), and as Check partitions.
		for _, maxOps := range []int{0, 4, p1PartitionOps} {
			x := crossCheckP1(h, ov, 0, maxOps)
			if len(x.findings) > 0 {
				t.Fatalf("maxOps %d: sweep and porcupine disagree: %+v\nsweep: %+v", maxOps, x.findings, ov)
			}
			if x.status != Checked {
				t.Fatalf("porcupine status %s without a timeout", x.status)
			}
			if (len(ov) > 0) != (x.illegal > 0) {
				t.Fatalf("maxOps %d: %d overlaps but %d illegal partitions", maxOps, len(ov), x.illegal)
			}
		}
	})
}

func sortWindows(ws []window) {
	slices.SortFunc(ws, func(a, b window) int {
		if c := strings.Compare(a.Lease, b.Lease); c != 0 {
			return c
		}
		return int(a.From - b.From)
	})
}

// TestSimultaneousClaimsOfOneHolderAreJoined: many claims of one holder starting at one
// instant, against another holder, would make porcupine search every order of them
// (2^n); joined into one stretch, they are two operations.
func TestSimultaneousClaimsOfOneHolderAreJoined(t *testing.T) {
	var claims []history.Claim
	for i := 0; i < 40; i++ {
		claims = append(claims, cl("A", "x", uint64(i), 0, 1+float64(i%3)))
	}
	claims = append(claims, cl("B", "x", 99, 0, 1))
	h := hist(claims...)
	parts, ops := p1Partitions(h, 0, false)
	if len(parts) != 1 || len(ops) != 4 || len(parts[0].claims) != 41 {
		t.Fatalf("%d partitions, %d operations; want 1 partition of 4 operations over 41 claims", len(parts), len(ops))
	}
	r := Check(h, Options{})
	if got := windowsOf(r.Findings, P1); len(got) != 1 || got[0] != (window{"x", 0, secs(1), "A,B"}) {
		t.Fatalf("findings %+v", r.Findings)
	}
}
