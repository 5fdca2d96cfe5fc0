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
// on the first finding with a margin of its own length (at least a second) around it.
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
	if len(findings) == 0 {
		return nil
	}
	f := findings[0]
	to := min(f.To, h.Meta.End)
	margin := max(to-f.From, int64(1e9))
	zoom := reports.TimelineOptions{Liveness: true, Expected: expected, From: max(h.Meta.Start, f.From-margin), To: min(h.Meta.End, to+margin)}
	svg.Reset()
	if err := reports.WriteTimelineSVG(&svg, h, findings, zoom); err != nil {
		return err
	}
	return WriteFile(filepath.Join(dir, "finding-timeline.svg"), svg.Bytes())
}
