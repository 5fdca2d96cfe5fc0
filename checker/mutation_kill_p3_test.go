package checker

import (
	"testing"

	"github.com/anishathalye/porcupine"

	"github.com/leasesim/leasesim/history"
)

// TestP3FindingPicksTheStuckOp kills the mutants of p3.go that gremlins found surviving
// (docs/mutation.md): which operation a P3 finding names when several were never
// linearized, in which partition, and with a model that has no Partition. The finding
// names the unplaced operation of the smallest call time (of equal calls, the first in
// the history) in the longest partial linearization (of equally long ones, the smallest
// sequence of operation indices).
func TestP3FindingPicksTheStuckOp(t *testing.T) {
	partitioned := registerModel()
	whole := registerModel()
	whole.Partition = nil
	cases := []struct {
		name   string
		model  porcupine.Model
		ops    []history.Op
		detail string
	}{
		// Without Partition, porcupine checks the history as one partition.
		{"a model without Partition", whole,
			[]history.Op{put("A", "k", "1", 0, 1), put("A", "k", "2", 2, 3), get("B", "k", "1", 4, 5)},
			"after 2 of 3 operations in order, no legal order places get(k) -> 1 by B (called at 4s, returned at 5s)"},
		// Key j is the first partition and linearizable; k's stale read is in the second.
		{"the second partition fails", partitioned,
			[]history.Op{put("A", "j", "1", 0, 1), get("B", "j", "1", 2, 3),
				put("A", "k", "1", 0, 1), put("A", "k", "2", 2, 3), get("C", "k", "1", 4, 5)},
			"after 2 of 3 operations in order, no legal order places get(k) -> 1 by C (called at 4s, returned at 5s)"},
		// B's and C's reads are both unplaced; B's, the history's first operation,
		// is called first.
		{"the earliest unplaced op is the history's first", partitioned,
			[]history.Op{get("B", "k", "1", 4, 5), put("A", "k", "1", 0, 1), put("A", "k", "2", 2, 3), get("C", "k", "1", 6, 7)},
			"after 2 of 4 operations in order, no legal order places get(k) -> 1 by B (called at 4s, returned at 5s)"},
		// The same, both reads called at 4s: the first in the history wins the tie.
		{"unplaced ops called at the same instant", partitioned,
			[]history.Op{get("B", "k", "1", 4, 5), put("A", "k", "1", 0, 1), put("A", "k", "2", 2, 3), get("C", "k", "1", 4, 6)},
			"after 2 of 4 operations in order, no legal order places get(k) -> 1 by B (called at 4s, returned at 5s)"},
		// Two longest partial linearizations of 3 operations: put 1, put 2, D's read of
		// 2 (indices 0 1 3), and put 2, put 1, C's read of 1 (1 0 2). The smaller
		// sequence, 0 1 3, leaves C's read unplaced.
		{"equally long partial linearizations", partitioned,
			[]history.Op{put("A", "k", "1", 0, 10), put("B", "k", "2", 0, 10), get("C", "k", "1", 11, 12), get("D", "k", "2", 11, 12)},
			"after 3 of 4 operations in order, no legal order places get(k) -> 1 by C (called at 11s, returned at 12s)"},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			h := hist()
			h.Meta.Holders = []string{"A", "B", "C", "D"}
			h.Ops = tt.ops
			if err := h.Validate(); err != nil {
				t.Fatalf("the test's history is not valid: %v", err)
			}
			// Porcupine's partial linearizations come in map order: check several times.
			for range 20 {
				r := Check(h, Options{OpModel: &tt.model})
				if len(r.Findings) != 1 || r.Findings[0].Kind != P3 {
					t.Fatalf("findings %+v, want one P3 finding", r.Findings)
				}
				want := "the client operations are not linearizable: " + tt.detail
				if got := r.Findings[0].Detail; got != want {
					t.Fatalf("detail\n got %q\nwant %q", got, want)
				}
			}
		})
	}
}
