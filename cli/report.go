package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/leasesim/leasesim/reports"
	"github.com/leasesim/leasesim/result"
)

func init() {
	subcommands = append(subcommands, newReportCmd)
}

func newReportCmd() *cobra.Command {
	var out, title string
	cmd := &cobra.Command{
		Use:   "report DIR... [--out DIR]",
		Short: "One self-contained HTML report from suite and sweep results (merges shards)",
		Long: `report reads the result directories that suite (results.jsonl, runs.jsonl, failures/)
and sweep (points.jsonl, sweep.json) wrote — several shards of the same job included —
merges them (runs by scenario and seed, sweep points by their parameters; a scenario's
expectations are evaluated again over the merged seeds) and writes DIR/report.html: the
suite table, the sweep plots (inline SVG), each failure's timeline and links to its
porcupine visualization, and the command that reproduces each figure. The file needs no
network to open.

The exit code is the merged suite's verdict, judged on the merged counts as suite
judges its own: 0 when every scenario's expectations are met, 1 when one is not, 3 when
one is undecided (more seeds or checks would decide it), 2 for bad input. A CI matrix
of suite --shard jobs fails on this step, not on the shards.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			d, err := prepareOut("--out", out)
			if err != nil {
				return err
			}
			defer d.Release()
			var in reportInputs
			for _, dir := range args {
				if err := in.read(dir, out); err != nil {
					return err
				}
			}
			rep := in.report(title, args)
			var b bytes.Buffer
			if err := reports.WriteHTML(&b, rep); err != nil {
				return err
			}
			path := filepath.Join(out, "report.html")
			if err := writeFileAtomic(path, b.Bytes()); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: %s, %s, %s\n", path, reports.Count(len(rep.Suite), "scenario"), reports.Count(len(rep.Sweeps), "sweep"), reports.Count(len(rep.Failures), "failure"))
			code := suiteExitCode(rep.Suite)
			if code != exitOK {
				fmt.Fprintf(cmd.ErrOrStderr(), "leasesim: the merged suite is %s (exit %d): see %s\n", map[int]string{exitViolated: "not met", exitUndecided: "undecided"}[code], code, path)
			}
			return withCode(code)
		},
	}
	cmd.Flags().StringVar(&out, "out", "report", "directory for report.html")
	cmd.Flags().StringVar(&title, "title", "leasesim report", "the report's title")
	return cmd
}

// reportInputs is what the result directories given to report hold, in order.
type reportInputs struct {
	scenarios  []result.ScenarioResult
	runs       []result.RunResult
	sweeps     map[string]*reports.SweepSection
	sweepOrder []string
	failures   []reports.FailureSection
	live       []reports.LiveTrial
}

// read adds one suite or sweep result directory; out is the report's directory, which
// the failures' links are relative to.
func (in *reportInputs) read(dir, out string) error {
	st, err := os.Stat(dir)
	if err != nil || !st.IsDir() {
		return badInput("%s: not a results directory", dir)
	}
	found := false
	if rs, err := readJSONL[result.ScenarioResult](filepath.Join(dir, "results.jsonl")); err == nil {
		in.scenarios, found = append(in.scenarios, rs...), true
	} else if !errors.Is(err, fs.ErrNotExist) {
		return badInput("%v", err)
	}
	if rs, err := readJSONL[result.RunResult](filepath.Join(dir, "runs.jsonl")); err == nil {
		in.runs = append(in.runs, rs...)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return badInput("%v", err)
	}
	if pts, err := readPoints(filepath.Join(dir, "points.jsonl")); err == nil {
		found = true
		in.addSweep(dir, pts)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return badInput("%v", err)
	}
	if !found {
		return badInput("%s holds neither results.jsonl (suite) nor points.jsonl (sweep)", dir)
	}
	fails, err := failureSections(dir, out)
	if err != nil {
		return err
	}
	in.failures = append(in.failures, fails...)
	lives, err := liveTrialSections(dir, out)
	if err != nil {
		return err
	}
	in.live = append(in.live, lives...)
	return nil
}

// addSweep merges a sweep directory's points into the section of its scenario (the
// shards of one sweep share a section).
func (in *reportInputs) addSweep(dir string, pts []result.SweepPoint) {
	var meta sweepMeta
	if b, err := os.ReadFile(filepath.Join(dir, "sweep.json")); err == nil {
		json.Unmarshal(b, &meta)
	}
	name := meta.Scenario
	if name == "" && len(pts) > 0 {
		name = pts[0].Scenario
	}
	if in.sweeps == nil {
		in.sweeps = map[string]*reports.SweepSection{}
	}
	s, ok := in.sweeps[name]
	if !ok {
		s = &reports.SweepSection{Scenario: name, Params: meta.Params, Command: meta.Command}
		in.sweeps[name] = s
		in.sweepOrder = append(in.sweepOrder, name)
	}
	s.Points = result.MergePoints(s.Params, s.Points, pts)
}

// report is the merged report: shards' scenarios merged (result.MergeSuite), sweeps in
// the order they were first seen.
func (in *reportInputs) report(title string, sources []string) reports.Report {
	rep := reports.Report{Title: title, Sources: sources, Failures: in.failures, Live: in.live}
	rep.Suite = mergeSuite(in.scenarios, in.runs)
	for _, name := range in.sweepOrder {
		rep.Sweeps = append(rep.Sweeps, *in.sweeps[name])
	}
	return rep
}

func readJSONL[T any](path string) ([]T, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return result.ReadJSONLines[T](f, path)
}

// mergeSuite merges the scenarios of several shards, evaluating a scenario seen in more
// than one again with the expectations of its scenario file.
func mergeSuite(rs []result.ScenarioResult, runs []result.RunResult) []result.ScenarioResult {
	return result.MergeSuite(rs, runs, func(file string) (result.Expect, error) {
		l, err := loadScenario(file)
		if err != nil {
			return result.Expect{}, err
		}
		return l.sc.Expect, nil
	})
}

// failureSections reads the failure bundles of a suite directory: their timelines are
// inlined, their other files linked relative to the report's directory.
func failureSections(dir, out string) ([]reports.FailureSection, error) {
	entries, err := os.ReadDir(filepath.Join(dir, "failures"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var fs []reports.FailureSection
	for _, e := range entries {
		bdir := filepath.Join(dir, "failures", e.Name())
		raw, err := os.ReadFile(filepath.Join(bdir, "bundle.json"))
		if err != nil {
			continue
		}
		var info bundleInfo
		if json.Unmarshal(raw, &info) != nil {
			continue
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
			if strings.HasPrefix(name, "porcupine-") || name == "timeline.svg" || name == "spacetime.svg" || name == "panic.txt" || name == "transcript.txt" || name == "history.jsonl" || name == "scenario.yaml" {
				href, err := filepath.Rel(out, filepath.Join(bdir, name))
				if err != nil {
					href = filepath.Join(bdir, name)
				}
				f.Links = append(f.Links, reports.Link{Name: name, Href: filepath.ToSlash(href)})
			}
		}
		fs = append(fs, f)
	}
	return fs, nil
}
