package reports

import (
	"cmp"
	"slices"

	"github.com/leasesim/leasesim/checker"
)

// zoomRank orders finding kinds by how much a zoomed view should prefer them: the
// overlap (P1) first, then the stale write it allows (P2), the issuer's own misbehaviour
// (P3), status disagreement (P4), liveness; kinds not listed come last.
var zoomRank = map[checker.Kind]int{checker.P1: 0, checker.P2: 1, checker.P3: 2, checker.P4: 3, checker.Liveness: 4}

// zoomMinMargin is the least margin around the zoomed finding, and zoomMinSpan the least
// window a zoom may be cut down to.
const (
	zoomMinMargin = int64(1e9)
	zoomMinSpan   = 2 * zoomMinMargin
)

// FindingZoom picks the finding a zoomed timeline (finding-timeline.svg) shows and the
// true-time window [from, to) to draw, inside the run's [start, end). It returns ok
// false when there is no finding.
//
// The finding: of the judged findings (those expected does not pick; all of them when
// expected picks every one, or is nil), those of the most serious kind — P1, then P2,
// P3, P4, liveness — and of these the shortest (clipped to the run), the earliest on a
// tie. A run with an overlap is about the overlap, not about a status disagreement that
// lasts to the run's end.
//
// The window: the finding with a margin of its own length (at least a second) on each
// side; when that is more than a quarter of the run (and more than 2s), a quarter of the
// run (at least 2s) centred on the finding's start, where its cause is, shifted to stay
// inside the run. So a zoom never repeats the whole run for a finding that lasts most
// of it.
func FindingZoom(fs []checker.Finding, start, end int64, expected func(checker.Finding) bool) (f checker.Finding, from, to int64, ok bool) {
	var judged []checker.Finding
	for _, g := range fs {
		if expected == nil || !expected(g) {
			judged = append(judged, g)
		}
	}
	if len(judged) == 0 {
		judged = fs
	}
	if len(judged) == 0 {
		return checker.Finding{}, 0, 0, false
	}
	rank := func(k checker.Kind) int {
		if r, ok := zoomRank[k]; ok {
			return r
		}
		return len(zoomRank)
	}
	clip := func(g checker.Finding) int64 { return min(g.To, end) }
	f = slices.MinFunc(judged, func(a, b checker.Finding) int {
		return cmp.Or(
			cmp.Compare(rank(a.Kind), rank(b.Kind)),
			cmp.Compare(clip(a)-a.From, clip(b)-b.From),
			cmp.Compare(a.From, b.From),
		)
	})
	fTo := max(clip(f), f.From)
	margin := max(fTo-f.From, zoomMinMargin)
	from, to = max(start, f.From-margin), min(end, fTo+margin)
	span := max((end-start)/4, zoomMinSpan)
	if to-from <= span {
		return f, from, to, true
	}
	from, to = f.From-span/2, f.From+span/2
	if from < start {
		from, to = start, to+(start-from)
	}
	if to > end {
		from, to = max(start, from-(to-end)), end
	}
	return f, from, to, true
}
