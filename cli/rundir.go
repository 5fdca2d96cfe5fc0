package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/history"
	"github.com/leasesim/leasesim/reports"
	"github.com/leasesim/leasesim/result"
)

// writeFileAtomic writes data to path through a temporary file and a rename, so that an
// interrupted run never leaves a half-written file.
func writeFileAtomic(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil { // CreateTemp makes it 0600
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// writeRunDir writes what a person needs to understand one run into dir: result.json
// (verdict, findings, metrics, checks), history.jsonl, the transcript if there is one,
// for each P1 finding the porcupine visualization of the window around it, and with
// findings spacetime.svg: each finding's space-time diagram and why it happened.
func writeRunDir(dir string, h *history.History, r result.RunResult, res checker.Result, transcript []byte) error {
	b, err := json.MarshalIndent(struct {
		result.RunResult
		Checks checker.Checks `json:"checks"`
	}{r, res.Checks}, "", "  ")
	if err != nil {
		return err
	}
	if err := writeFileAtomic(filepath.Join(dir, "result.json"), append(b, '\n')); err != nil {
		return err
	}
	var hb bytes.Buffer
	if err := h.Write(&hb); err != nil {
		return err
	}
	if err := writeFileAtomic(filepath.Join(dir, "history.jsonl"), hb.Bytes()); err != nil {
		return err
	}
	if transcript != nil {
		if err := writeFileAtomic(filepath.Join(dir, "transcript.txt"), transcript); err != nil {
			return err
		}
	}
	n := 0
	for _, f := range res.Findings {
		if f.Kind != checker.P1 {
			continue
		}
		n++
		margin := (f.To - f.From) + 2_000_000_000
		var vb bytes.Buffer
		if err := checker.VisualizeP1(h, f.Lease, f.From-margin, f.To+margin, &vb); err != nil {
			return fmt.Errorf("porcupine visualization: %w", err)
		}
		if err := writeFileAtomic(filepath.Join(dir, fmt.Sprintf("porcupine-p1-%d.html", n)), vb.Bytes()); err != nil {
			return err
		}
		if n == 3 {
			break // the first few are enough to see the story
		}
	}
	if len(res.Findings) > 0 {
		var sb bytes.Buffer
		if err := reports.WriteSpacetimeSVG(&sb, h, res.Findings); err != nil {
			return err
		}
		if err := writeFileAtomic(filepath.Join(dir, "spacetime.svg"), sb.Bytes()); err != nil {
			return err
		}
	}
	return writeTimeline(dir, h, res)
}
