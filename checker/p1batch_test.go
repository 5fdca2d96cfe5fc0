package checker

import (
	"reflect"
	"testing"

	"pgregory.net/rapid"
)

// TestP1BatchesChangeNothing: checking the porcupine partitions in batches (one per
// batch, a few per batch) finds what one batch of them all finds, with the true sweep
// result and with ones wrong on purpose (an overlap dropped, an overlap invented), which
// the cross-check reports as disagreements.
func TestP1BatchesChangeNothing(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		h := claimHistory(genClaims(t, rapid.Bool().Draw(t, "handoff")))
		ov, _ := sweepP1(h)
		variants := [][]overlap{ov}
		if len(ov) > 0 {
			variants = append(variants, ov[1:])
		}
		if len(h.Claims) > 0 {
			c := h.Claims[0]
			variants = append(variants, append([]overlap{{lease: c.Lease, from: c.From, to: c.From + 1, holders: []string{c.Holder}}}, ov...))
		}
		for _, v := range variants {
			for _, maxOps := range []int{0, 4} {
				whole := crossCheckP1Batched(h, v, 0, maxOps, 1<<30)
				for _, batch := range []int{1, 3} {
					if got := crossCheckP1Batched(h, v, 0, maxOps, batch); !reflect.DeepEqual(got, whole) {
						t.Fatalf("maxOps %d, batches of %d: %+v\nin one batch: %+v", maxOps, batch, got, whole)
					}
				}
			}
		}
	})
}

// TestP1BatchesCoverEveryPartition: a large history checked in many batches examines
// every partition, and still finds each overlap.
func TestP1BatchesCoverEveryPartition(t *testing.T) {
	h := benchHistory(20_000, 200, 7)
	ov, _ := sweepP1(h)
	x := crossCheckP1Batched(h, ov, 0, p1PartitionOps, 512)
	if len(x.findings) > 0 || x.status != Checked {
		t.Fatalf("findings %+v, status %s", x.findings, x.status)
	}
	if x.illegal == 0 || x.illegal > len(ov) || x.partitions < 10 {
		t.Fatalf("%d illegal of %d partitions for %d overlaps", x.illegal, x.partitions, len(ov))
	}
	// The sweep told nothing: porcupine alone finds the overlaps, in every batch.
	y := crossCheckP1Batched(h, nil, 0, p1PartitionOps, 512)
	if y.illegal != x.illegal || len(y.findings) != y.illegal {
		t.Fatalf("without the sweep: %d illegal partitions and %d findings, want %d of each", y.illegal, len(y.findings), x.illegal)
	}
}
