package suitedir

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"github.com/leasesim/leasesim/internal/outdir"
	"github.com/leasesim/leasesim/internal/rundir"
	"github.com/leasesim/leasesim/reports"
	"github.com/leasesim/leasesim/result"
)

// WriteResults rewrites dir/results.jsonl and dir/runs.jsonl atomically.
func WriteResults(dir string, rs []result.ScenarioResult) error {
	var rb, runs bytes.Buffer
	if err := result.WriteJSONLines(&rb, rs); err != nil {
		return err
	}
	for _, r := range rs {
		if err := result.WriteJSONLines(&runs, r.Runs); err != nil {
			return err
		}
	}
	if err := rundir.WriteFile(filepath.Join(dir, "results.jsonl"), rb.Bytes()); err != nil {
		return err
	}
	return rundir.WriteFile(filepath.Join(dir, "runs.jsonl"), runs.Bytes())
}

// WriteReport writes out/report.html: the suite table and each failure's timeline
// (failures/ holds this run's bundles only), the same file `leasesim report` makes from
// one results directory.
func WriteReport(out string, rs []result.ScenarioResult) error {
	fails, err := FailureSections(out, out)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := reports.WriteHTML(&b, reports.Report{Title: "leasesim suite", Suite: rs, Failures: fails}); err != nil {
		return err
	}
	return rundir.WriteFile(filepath.Join(out, "report.html"), b.Bytes())
}

// WriteJUnit writes the JUnit XML of a suite to path, atomically.
func WriteJUnit(path string, s reports.JUnitSuite) error {
	var b bytes.Buffer
	if err := reports.WriteJUnit(&b, s); err != nil {
		return err
	}
	return rundir.WriteFile(path, b.Bytes())
}

// Prepare readies dir, claimed as d (package outdir), for a new suite and returns its
// failures directory: failures/ emptied, so that it holds this run's bundles only;
// results.jsonl and runs.jsonl emptied, so that an older run's results cannot pass for
// this one's if it is interrupted before its first scenario finishes; report.html
// removed. An error names what could not be prepared (dir and its cause).
func Prepare(d *outdir.Dir, dir string) (string, error) {
	failures, err := d.Fresh("failures")
	if err != nil {
		return "", err
	}
	if err := WriteResults(dir, nil); err != nil {
		return "", fmt.Errorf("%s: %w", dir, err)
	}
	os.Remove(filepath.Join(dir, "report.html"))
	return failures, nil
}
