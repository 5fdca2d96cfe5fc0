package liverun

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/leasesim/leasesim/live"
	"github.com/leasesim/leasesim/reports"
	"github.com/leasesim/leasesim/result"
)

// TrialSections reads the trials of a live run directory (trials.jsonl, as a Writer
// wrote it) for the report's "Live trials" section: each trial's belief overlaps apart
// from its judged findings, links to its run directory (relative to the report's
// directory out) and, for a trial with belief overlaps and no failure bundle, its
// timeline to inline. A directory with no trials.jsonl has none; an unreadable
// trials.jsonl is an error naming it.
func TrialSections(dir, out string) ([]reports.LiveTrial, error) {
	trials, err := result.ReadJSONLinesFile[live.TrialResult](filepath.Join(dir, "trials.jsonl"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var sections []reports.LiveTrial
	for _, r := range trials {
		sections = append(sections, section(dir, out, r))
	}
	return sections, nil
}

// section is one trial's part of the "Live trials" section.
func section(dir, out string, r live.TrialResult) reports.LiveTrial {
	lt := reports.LiveTrial{Scenario: r.Scenario, Trial: r.Trial, Seed: r.Seed, Verdict: r.Verdict}
	for _, w := range r.BeliefOverlaps {
		lt.Belief = append(lt.Belief, window(w))
	}
	for _, w := range judged(r) {
		lt.Judged = append(lt.Judged, window(w))
	}
	name := fmt.Sprintf("trial-%d", r.Trial)
	tdir := filepath.Join(dir, "failures", name)
	if _, err := os.Stat(filepath.Join(tdir, "bundle.json")); err == nil {
		lt.Failure = true
	} else {
		tdir = filepath.Join(dir, "trials", name)
	}
	for _, file := range []string{"timeline.svg", "timeline.txt", "history.jsonl", "result.json"} {
		if _, err := os.Stat(filepath.Join(tdir, file)); err != nil {
			continue
		}
		href, err := filepath.Rel(out, filepath.Join(tdir, file))
		if err != nil {
			href = filepath.Join(tdir, file)
		}
		lt.Links = append(lt.Links, reports.Link{Name: file, Href: filepath.ToSlash(href)})
	}
	if !lt.Failure && len(lt.Belief) > 0 {
		lt.TimelineSVG, _ = os.ReadFile(filepath.Join(tdir, "timeline.svg"))
	}
	return lt
}

// window presents a window for the report: its holders, start and width.
func window(w live.Window) reports.LiveWindow {
	at := func(ns int64) string { return time.Duration(ns).Round(time.Millisecond).String() }
	width := time.Duration(w.To - w.From).Round(time.Millisecond).String()
	return reports.LiveWindow{Holders: strings.Join(w.Holders, ","), At: at(w.From), Width: width, Detail: w.Detail}
}
