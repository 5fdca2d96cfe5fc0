package rundir

import (
	"bytes"
	"path/filepath"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/history"
	"github.com/leasesim/leasesim/reports"
)

// timelineWidth is the width in columns of the text timeline.
const timelineWidth = 120

// writeTimeline draws the run's timeline into dir: timeline.svg (the whole run) and
// timeline.txt (text, the whole run); with findings, also finding-timeline.svg, zoomed
// on the finding that matters most (reports.FindingZoom: the shortest overlap, if any).
func writeTimeline(dir string, h *history.History, findings []checker.Finding, expected func(checker.Finding) bool) error {
	var svg, txt bytes.Buffer
	opt := reports.TimelineOptions{Liveness: true, Expected: expected}
	if err := reports.WriteTimelineSVG(&svg, h, findings, opt); err != nil {
		return err
	}
	if err := WriteFile(filepath.Join(dir, "timeline.svg"), svg.Bytes()); err != nil {
		return err
	}
	if err := reports.WriteTimelineText(&txt, h, findings, reports.TimelineOptions{Expected: expected}, timelineWidth); err != nil {
		return err
	}
	if err := WriteFile(filepath.Join(dir, "timeline.txt"), txt.Bytes()); err != nil {
		return err
	}
	_, from, to, ok := reports.FindingZoom(findings, h.Meta.Start, h.Meta.End, expected)
	if !ok {
		return nil
	}
	zoom := reports.TimelineOptions{Liveness: true, Expected: expected, From: from, To: to}
	svg.Reset()
	if err := reports.WriteTimelineSVG(&svg, h, findings, zoom); err != nil {
		return err
	}
	return WriteFile(filepath.Join(dir, "finding-timeline.svg"), svg.Bytes())
}
