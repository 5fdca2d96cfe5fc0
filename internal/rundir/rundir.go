package rundir

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/history"
	"github.com/leasesim/leasesim/reports"
	"github.com/leasesim/leasesim/result"
)

// Options are what Write adds to a run's directory beyond its history and result.
type Options struct {
	// Transcript is the run's transcript (nil: none is written).
	Transcript []byte
	// Expected marks the findings drawn as expected (amber) on the timelines: a live
	// run's belief overlaps. Nil: none.
	Expected func(checker.Finding) bool
}

// maxPorcupine is how many P1 findings get porcupine's visualization: the first few are
// enough to see the story.
const maxPorcupine = 3

// Write writes what a person needs to understand one run into dir (see the package
// comment): r is the run's result record, res the checker's result on h.
func Write(dir string, h *history.History, r result.RunResult, res checker.Result, opt Options) error {
	b, err := json.MarshalIndent(struct {
		result.RunResult
		Checks checker.Checks `json:"checks"`
	}{r, res.Checks}, "", "  ")
	if err != nil {
		return err
	}
	if err := WriteFile(filepath.Join(dir, "result.json"), append(b, '\n')); err != nil {
		return err
	}
	var hb bytes.Buffer
	if err := h.Write(&hb); err != nil {
		return err
	}
	if err := WriteFile(filepath.Join(dir, "history.jsonl"), hb.Bytes()); err != nil {
		return err
	}
	if opt.Transcript != nil {
		if err := WriteFile(filepath.Join(dir, "transcript.txt"), opt.Transcript); err != nil {
			return err
		}
	}
	if err := writePorcupine(dir, h, res.Findings); err != nil {
		return err
	}
	if err := writeSpacetime(dir, h, res.Findings); err != nil {
		return err
	}
	return writeTimeline(dir, h, res.Findings, opt.Expected)
}

// writePorcupine writes porcupine-p1-N.html, porcupine's view of the window around each
// of the first maxPorcupine P1 findings.
func writePorcupine(dir string, h *history.History, findings []checker.Finding) error {
	n := 0
	for _, f := range findings {
		if f.Kind != checker.P1 {
			continue
		}
		n++
		margin := (f.To - f.From) + 2_000_000_000
		var vb bytes.Buffer
		if err := checker.VisualizeP1(h, f.Lease, f.From-margin, f.To+margin, &vb); err != nil {
			return fmt.Errorf("porcupine visualization: %w", err)
		}
		if err := WriteFile(filepath.Join(dir, fmt.Sprintf("porcupine-p1-%d.html", n)), vb.Bytes()); err != nil {
			return err
		}
		if n == maxPorcupine {
			break
		}
	}
	return nil
}

// writeSpacetime writes spacetime.svg, each finding's space-time diagram and why it
// happened, when there are findings.
func writeSpacetime(dir string, h *history.History, findings []checker.Finding) error {
	if len(findings) == 0 {
		return nil
	}
	var sb bytes.Buffer
	if err := reports.WriteSpacetimeSVG(&sb, h, findings); err != nil {
		return err
	}
	return WriteFile(filepath.Join(dir, "spacetime.svg"), sb.Bytes())
}
