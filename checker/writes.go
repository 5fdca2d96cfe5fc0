package checker

import (
	"cmp"
	"slices"

	"github.com/leasesim/leasesim/history"
)

// writeCounts counts the resource's decisions: the writes it rejected, and the writes it
// accepted under an epoch older than the newest epoch it had accepted a write of before
// (the writes P2 reports; writes taken in order of At, ties in history order, as checkP2
// takes them).
func writeCounts(h *history.History) (rejected, acceptedStale int) {
	idx := make([]int, 0, len(h.Writes))
	for i := range h.Writes {
		if h.Writes[i].Accepted {
			idx = append(idx, i)
		} else {
			rejected++
		}
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(h.Writes[a].At, h.Writes[b].At) })
	newest, seen := uint64(0), false
	for _, i := range idx {
		w := &h.Writes[i]
		switch {
		case !seen || w.Epoch > newest:
			newest, seen = w.Epoch, true
		case w.Epoch < newest:
			acceptedStale++
		}
	}
	return rejected, acceptedStale
}
