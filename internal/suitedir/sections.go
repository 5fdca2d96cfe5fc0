package suitedir

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/leasesim/leasesim/internal/bundle"
	"github.com/leasesim/leasesim/reports"
)

// linked reports whether a bundle's file is linked from its report section.
func linked(name string) bool {
	switch name {
	case "timeline.svg", "spacetime.svg", "panic.txt", "transcript.txt", "history.jsonl", "scenario.yaml":
		return true
	}
	return strings.HasPrefix(name, "porcupine-")
}

// FailureSections reads the failure bundles of a suite directory: their timelines are
// inlined, their other files linked relative to the report's directory out. A directory
// without failures/ has none; a bundle without a readable bundle.json is skipped.
func FailureSections(dir, out string) ([]reports.FailureSection, error) {
	entries, err := os.ReadDir(filepath.Join(dir, "failures"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var secs []reports.FailureSection
	for _, e := range entries {
		if f, ok := section(filepath.Join(dir, "failures", e.Name()), out); ok {
			secs = append(secs, f)
		}
	}
	return secs, nil
}

// section is the report section of the bundle in bdir (false: not a bundle).
func section(bdir, out string) (reports.FailureSection, bool) {
	raw, err := os.ReadFile(filepath.Join(bdir, "bundle.json"))
	if err != nil {
		return reports.FailureSection{}, false
	}
	var info bundle.Info
	if json.Unmarshal(raw, &info) != nil {
		return reports.FailureSection{}, false
	}
	f := reports.FailureSection{Scenario: info.Scenario, Seed: info.Seed, Findings: info.Findings, Replay: info.Replay}
	zoom := filepath.Join(bdir, "finding-timeline.svg")
	if _, err := os.Stat(zoom); err != nil {
		zoom = filepath.Join(bdir, "timeline.svg")
	}
	f.TimelineSVG, _ = os.ReadFile(zoom)
	f.SpacetimeSVG, _ = os.ReadFile(filepath.Join(bdir, "spacetime.svg"))
	files, _ := os.ReadDir(bdir)
	for _, file := range files {
		name := file.Name()
		if !linked(name) {
			continue
		}
		href, err := filepath.Rel(out, filepath.Join(bdir, name))
		if err != nil {
			href = filepath.Join(bdir, name)
		}
		f.Links = append(f.Links, reports.Link{Name: name, Href: filepath.ToSlash(href)})
	}
	return f, true
}
