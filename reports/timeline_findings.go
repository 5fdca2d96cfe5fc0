package reports

import (
	"cmp"
	"fmt"
	"image/color"
	"slices"
	"strings"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/history"
)

// maxFindingRows is how many findings a timeline gives a row of their own; the rest in
// view share one last row that says how many there are and where they are all listed.
// Ten rows keep the picture readable; a run with more findings than that is read in its
// result.json.
const maxFindingRows = 10

// findingPale draws the findings of the overflow row: the red of findings, faded on
// white (solid, so that the SVG keeps its exact colour).
var findingPale = color.RGBA{0xef, 0xa9, 0xa9, 0xff}

// findingsListed says where every finding of a run is listed, for the overflow row: the
// run directory's (or failure bundle's) result.json; a suite's runs.jsonl carries the
// same findings per run.
const findingsListed = "result.json, \"findings\""

// findingRank orders finding kinds in a timeline, top to bottom: the kinds a zoom
// prefers first (zoomRank: P1, P2, P3, P4, liveness), other kinds after them by name.
func findingRank(k checker.Kind) int {
	if r, ok := zoomRank[k]; ok {
		return r
	}
	return len(zoomRank)
}

// findingLabel names a finding's row: its kind and the nodes involved, "P1 B C".
func findingLabel(f checker.Finding) string {
	return strings.TrimSpace(strings.ToUpper(string(f.Kind)) + " " + strings.Join(f.Holders, " "))
}

// findingRows gives each finding that shows in the window [from, to] a row of its own,
// ordered by kind (findingRank), then start, then end, then nodes; a finding is a red
// bar labelled with its length, or, when it is an instant, a red marker. Findings open
// to the run's end (or past it) are clipped there. When more than maxFindingRows show,
// the first maxFindingRows-1 get rows and one last row "+N more findings" draws the
// other N faded (instants as markers too), with a note naming where all of them are
// listed. No finding in view:
// no row.
func findingRows(h *history.History, findings []checker.Finding, from, to int64) []timelineRow {
	type shown struct {
		f       checker.Finding
		to      int64 // clipped to the run's end
		open    bool  // the finding had not ended when the run did
		instant bool
	}
	var in []shown
	for _, f := range findings {
		end := f.To
		open := end >= history.Forever || end > h.Meta.End
		if open {
			end = h.Meta.End
		}
		instant := end <= f.From
		if instant && (f.From < from || f.From > to) || !instant && (f.From >= to || end <= from) {
			continue // outside the window
		}
		in = append(in, shown{f: f, to: max(end, f.From), open: open, instant: instant})
	}
	slices.SortStableFunc(in, func(a, b shown) int {
		return cmp.Or(
			cmp.Compare(findingRank(a.f.Kind), findingRank(b.f.Kind)),
			cmp.Compare(a.f.Kind, b.f.Kind),
			cmp.Compare(a.f.From, b.f.From),
			cmp.Compare(a.to, b.to),
			cmp.Compare(strings.Join(a.f.Holders, " "), strings.Join(b.f.Holders, " ")),
		)
	})
	own := len(in)
	if own > maxFindingRows {
		own = maxFindingRows - 1
	}
	rows := make([]timelineRow, 0, own+1)
	for _, s := range in[:own] {
		r := timelineRow{label: findingLabel(s.f), mark: '!', labelOutside: true}
		if s.instant {
			r.markers = append(r.markers, timelineTick{at: s.f.From, fill: findingRed})
		} else {
			label := widthLabel(s.to - s.f.From)
			if s.open {
				label += "+, to the run's end"
			}
			r.bars = append(r.bars, timelineBar{from: s.f.From, to: s.to, fill: findingRed, label: label})
		}
		rows = append(rows, r)
	}
	if rest := in[own:]; len(rest) > 0 {
		r := timelineRow{label: fmt.Sprintf("+%d more %s", len(rest), plural(len(rest), "finding", "findings")), mark: '!',
			note: fmt.Sprintf("%d more in view, drawn faded; all %d of the run are listed in %s", len(rest), len(findings), findingsListed)}
		for _, s := range rest {
			if s.instant {
				r.markers = append(r.markers, timelineTick{at: s.f.From, fill: findingPale})
			} else {
				r.bars = append(r.bars, timelineBar{from: s.f.From, to: s.to, fill: findingPale})
			}
		}
		rows = append(rows, r)
	}
	return rows
}

// plural picks the singular or plural form for n.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
