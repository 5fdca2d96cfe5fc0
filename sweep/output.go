package sweep

import (
	"bytes"
	"encoding/json"
	"path/filepath"

	"github.com/leasesim/leasesim/internal/rundir"
	"github.com/leasesim/leasesim/internal/runner"
	"github.com/leasesim/leasesim/reports"
	"github.com/leasesim/leasesim/result"
)

// MetaName is the file that tells `leasesim report` which sweep a directory holds.
const MetaName = "sweep.json"

// Meta is sweep.json.
type Meta struct {
	Scenario string   `json:"scenario"`
	File     string   `json:"file"`
	Params   []string `json:"params"`
	Command  string   `json:"command"`
}

// WriteMeta writes sweep.json.
func WriteMeta(dir string, m Meta) error {
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return rundir.WriteFile(filepath.Join(dir, MetaName), append(b, '\n'))
}

// Files lists what WriteOutputs writes besides points.jsonl.
const Files = "points.jsonl, sweep.csv, unavailability.svg/.png, violations.svg/.png, timeline.svg/.png"

// WriteOutputs writes the final files of a finished sweep into dir: points.jsonl in a
// fixed order (every point the directory holds), sweep.csv and the two plots (this
// sweep's points), and the timeline of the worst run, re-run with its history kept.
func WriteOutputs(dir string, p *Plan, store *Store, res *Result) error {
	if err := store.Finish(p.Swept); err != nil {
		return err
	}
	points := res.SweepPoints(p.Swept)
	var b bytes.Buffer
	if err := reports.WriteSweepCSV(&b, p.Swept, points); err != nil {
		return err
	}
	if err := rundir.WriteFile(filepath.Join(dir, "sweep.csv"), b.Bytes()); err != nil {
		return err
	}
	if err := writePlots(dir, p.Swept, points); err != nil {
		return err
	}
	pt, seed, ok := res.Worst()
	if !ok {
		return nil
	}
	r, err := runner.RunSeed(pt.Scenario, seed, runner.Options{})
	if err != nil {
		return err
	}
	return writeTimeline(dir, r)
}

func writePlots(dir string, swept []string, points []result.SweepPoint) error {
	if len(swept) == 0 {
		return nil
	}
	x := swept[0]
	name := ""
	if len(points) > 0 {
		name = points[0].Scenario
	}
	vp, err := reports.SweptViolationPlot(points, swept, name+": safety vs "+x)
	if err != nil {
		return err
	}
	for _, format := range []string{"svg", "png"} {
		// Unavailability beside the issuer's load, a row per extra swept parameter,
		// the best point marked.
		var b bytes.Buffer
		if err := reports.WriteSweepFigure(&b, points, swept, name+": unavailability vs "+x, format); err != nil {
			return err
		}
		if err := rundir.WriteFile(filepath.Join(dir, "unavailability."+format), b.Bytes()); err != nil {
			return err
		}
		b.Reset()
		if err := reports.WritePlot(&b, vp, format); err != nil {
			return err
		}
		if err := rundir.WriteFile(filepath.Join(dir, "violations."+format), b.Bytes()); err != nil {
			return err
		}
	}
	return nil
}

func writeTimeline(dir string, r *runner.Run) error {
	h := r.History
	for _, format := range []string{"svg", "png"} {
		var b bytes.Buffer
		if err := reports.WriteTimeline(&b, format, h, r.Check.Findings, reports.TimelineOptions{Liveness: true}); err != nil {
			return err
		}
		if err := rundir.WriteFile(filepath.Join(dir, "timeline."+format), b.Bytes()); err != nil {
			return err
		}
	}
	info, err := json.Marshal(map[string]any{"scenario": h.Meta.Scenario, "seed": h.Meta.Seed, "params": h.Meta.Params,
		"why": "the sweep's worst run: violations first, then the longest gap"})
	if err != nil {
		return err
	}
	return rundir.WriteFile(filepath.Join(dir, "timeline.json"), append(info, '\n'))
}
