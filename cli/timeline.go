package cli

import (
	"bytes"
	"path/filepath"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/history"
	"github.com/leasesim/leasesim/live"
	"github.com/leasesim/leasesim/reports"
)

// timelineWidth is the width in columns of the text timeline.
const timelineWidth = 120

// writeTimeline draws the run's timeline into dir: timeline.svg (the whole run) and
// timeline.txt (text, the whole run); with findings, also finding-timeline.svg, zoomed
// on the finding that matters most (reports.FindingZoom: the shortest overlap, if any).
func writeTimeline(dir string, h *history.History, res checker.Result) error {
	var svg, txt bytes.Buffer
	opt := reports.TimelineOptions{Liveness: true}
	if h.Meta.Live {
		opt.Expected = live.IsBeliefOverlap // drawn amber, apart from the judged findings
	}
	if err := reports.WriteTimelineSVG(&svg, h, res.Findings, opt); err != nil {
		return err
	}
	if err := writeFileAtomic(filepath.Join(dir, "timeline.svg"), svg.Bytes()); err != nil {
		return err
	}
	if err := reports.WriteTimelineText(&txt, h, res.Findings, reports.TimelineOptions{Expected: opt.Expected}, timelineWidth); err != nil {
		return err
	}
	if err := writeFileAtomic(filepath.Join(dir, "timeline.txt"), txt.Bytes()); err != nil {
		return err
	}
	_, from, to, ok := reports.FindingZoom(res.Findings, h.Meta.Start, h.Meta.End, opt.Expected)
	if !ok {
		return nil
	}
	zoom := reports.TimelineOptions{Liveness: true, Expected: opt.Expected, From: from, To: to}
	svg.Reset()
	if err := reports.WriteTimelineSVG(&svg, h, res.Findings, zoom); err != nil {
		return err
	}
	return writeFileAtomic(filepath.Join(dir, "finding-timeline.svg"), svg.Bytes())
}
