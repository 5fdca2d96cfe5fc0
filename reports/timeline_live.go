package reports

import (
	"image/color"
	"strings"
	"time"

	"gonum.org/v1/plot/vg"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/history"
)

// liveClock names the clock of a live run's times, in its timeline's title and x axis
// alike.
const liveClock = "the driver's monotonic clock"

// beliefAmber colours expected findings: a live run's belief overlaps.
var beliefAmber = color.RGBA{0xf2, 0xa9, 0x00, 0xff}

// markerHalfWidth is half the width of a marker diamond: 7pt across, several pixels at
// any readable size, where a tick is 0.6pt.
const markerHalfWidth = vg.Length(3.5) // points

// Labels of a live run's finding rows.
const (
	liveBeliefRow   = "belief overlaps (expected)"
	liveFindingsRow = "findings"
)

// liveFindingRows lays out a live run's findings in two rows. The findings opt.Expected
// picks (belief overlaps) go to an amber row, each bar labelled with its width — inside
// the bar, or just right of it when narrow. Every other finding is judged and goes to
// the red findings row; a P2 finding (a stale write etcd accepted) also gets a marker
// diamond at its first and its last stale write, so that a single one, zero wide, shows.
// The belief row is drawn only when there are belief overlaps; the findings row only
// when there are judged findings.
func liveFindingRows(h *history.History, findings []checker.Finding, opt TimelineOptions) []timelineRow {
	belief := timelineRow{label: liveBeliefRow, mark: '?', labelOutside: true}
	judged := timelineRow{label: liveFindingsRow, mark: '!'}
	for _, f := range findings {
		to := f.To
		if to >= history.Forever || to > h.Meta.End {
			to = h.Meta.End
		}
		if opt.Expected != nil && opt.Expected(f) {
			if to > f.From {
				belief.bars = append(belief.bars, timelineBar{from: f.From, to: to, fill: beliefAmber, label: widthLabel(to - f.From)})
			}
			continue
		}
		if to > f.From {
			label := strings.ToUpper(string(f.Kind))
			if f.Kind == checker.P2 {
				label += " stale writes"
			}
			judged.bars = append(judged.bars, timelineBar{from: f.From, to: to, fill: findingRed, label: label})
		}
		switch {
		case f.Kind == checker.P2 && to > f.From:
			judged.markers = append(judged.markers, timelineTick{at: f.From, fill: findingRed}, timelineTick{at: to, fill: findingRed})
		case to <= f.From:
			judged.markers = append(judged.markers, timelineTick{at: f.From, fill: findingRed})
		}
	}
	var rows []timelineRow
	if len(belief.bars) > 0 {
		rows = append(rows, belief)
	}
	if len(judged.bars)+len(judged.markers) > 0 {
		rows = append(rows, judged)
	}
	return rows
}

// widthLabel is a belief overlap's width for its label: milliseconds below 10s.
func widthLabel(ns int64) string {
	d := time.Duration(ns)
	if d < 10*time.Second {
		return d.Round(time.Millisecond).String()
	}
	return d.Round(100 * time.Millisecond).String()
}
