package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/internal/runner"
	"github.com/leasesim/leasesim/reports"
	"github.com/leasesim/leasesim/scenarios"
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
network to open.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			d, err := prepareOut("--out", out)
			if err != nil {
				return err
			}
			defer d.Release()
			rep := reports.Report{Title: title, Sources: args}
			var results []reports.ScenarioResult
			var runs []reports.RunResult
			sweeps := map[string]*reports.SweepSection{}
			var sweepOrder []string
			for _, dir := range args {
				st, err := os.Stat(dir)
				if err != nil || !st.IsDir() {
					return badInput("%s: not a results directory", dir)
				}
				found := false
				if rs, err := readJSONL[reports.ScenarioResult](filepath.Join(dir, "results.jsonl")); err == nil {
					results, found = append(results, rs...), true
				} else if !errors.Is(err, fs.ErrNotExist) {
					return badInput("%v", err)
				}
				if rs, err := readJSONL[reports.RunResult](filepath.Join(dir, "runs.jsonl")); err == nil {
					runs = append(runs, rs...)
				} else if !errors.Is(err, fs.ErrNotExist) {
					return badInput("%v", err)
				}
				if pts, err := readPoints(filepath.Join(dir, "points.jsonl")); err == nil {
					found = true
					var meta sweepMeta
					if b, err := os.ReadFile(filepath.Join(dir, "sweep.json")); err == nil {
						json.Unmarshal(b, &meta)
					}
					name := meta.Scenario
					if name == "" && len(pts) > 0 {
						name = pts[0].Scenario
					}
					s, ok := sweeps[name]
					if !ok {
						s = &reports.SweepSection{Scenario: name, Params: meta.Params, Command: meta.Command}
						sweeps[name] = s
						sweepOrder = append(sweepOrder, name)
					}
					s.Points = reports.MergePoints(s.Params, s.Points, pts)
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
				rep.Failures = append(rep.Failures, fails...)
				lives, err := liveTrialSections(dir, out)
				if err != nil {
					return err
				}
				rep.Live = append(rep.Live, lives...)
			}
			rep.Suite = mergeSuite(results, runs)
			for _, name := range sweepOrder {
				rep.Sweeps = append(rep.Sweeps, *sweeps[name])
			}
			var b bytes.Buffer
			if err := reports.WriteHTML(&b, rep); err != nil {
				return err
			}
			path := filepath.Join(out, "report.html")
			if err := writeFileAtomic(path, b.Bytes()); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: %s, %s, %s\n", path, reports.Count(len(rep.Suite), "scenario"), reports.Count(len(rep.Sweeps), "sweep"), reports.Count(len(rep.Failures), "failure"))
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "report", "directory for report.html")
	cmd.Flags().StringVar(&title, "title", "leasesim report", "the report's title")
	return cmd
}

func readJSONL[T any](path string) ([]T, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return reports.ReadJSONLines[T](f, path)
}

// mergeSuite merges the per-scenario results of several shards. A scenario seen once is
// kept as it is; one seen in several shards gets its runs merged (one per seed), its
// statistics recomputed and its expectations evaluated again from its scenario file.
func mergeSuite(results []reports.ScenarioResult, runs []reports.RunResult) []reports.ScenarioResult {
	count := map[string]int{}
	for _, r := range results {
		count[r.Scenario]++
	}
	bySeed := map[string]map[uint64]reports.RunResult{}
	for _, r := range runs {
		if bySeed[r.Scenario] == nil {
			bySeed[r.Scenario] = map[uint64]reports.RunResult{}
		}
		bySeed[r.Scenario][r.Seed] = r
	}
	var out []reports.ScenarioResult
	done := map[string]bool{}
	for _, r := range results {
		if count[r.Scenario] == 1 {
			out = append(out, r)
			continue
		}
		if done[r.Scenario] {
			continue
		}
		done[r.Scenario] = true
		m := r
		m.Runs = nil
		var seeds []uint64
		for s := range bySeed[r.Scenario] {
			seeds = append(seeds, s)
		}
		sort.Slice(seeds, func(i, j int) bool { return seeds[i] < seeds[j] })
		for _, s := range seeds {
			m.Runs = append(m.Runs, bySeed[r.Scenario][s])
		}
		m.Summarize()
		// Everything the evaluation decides starts afresh: the shard this copy came from
		// had its own failing seed, and its command and bundle replay that seed — a
		// merged scenario that now passes, or fails on another seed, must not show them.
		m.Expectations, m.Met, m.FailingSeed, m.Reproduce, m.Bundle = nil, true, nil, "", ""
		l, err := loadScenario(r.File)
		if err != nil {
			m.Error = "cannot evaluate the merged expectations: " + err.Error()
			m.Met = false
			out = append(out, m)
			continue
		}
		var outcomes []scenarios.SeedOutcome
		for _, run := range m.Runs {
			outcomes = append(outcomes, outcomeOf(run))
		}
		for _, e := range l.sc.Expect.Evaluate(outcomes) {
			m.Expectations = append(m.Expectations, reports.Expectation{Key: e.Key, Want: e.Want, Got: e.Got, Seed: e.Seed, Met: e.Met})
			if e.Met {
				continue
			}
			m.Met = false
			// As runner.Summarize: the first unmet expectation that names a seed.
			if m.FailingSeed == nil && e.HasSeed {
				s := e.Seed
				m.FailingSeed = &s
				m.Reproduce = fmt.Sprintf("leasesim run %s --seed %d", r.File, s)
			}
		}
		out = append(out, m)
	}
	return out
}

// outcomeOf is runner.Outcome for a run read back from runs.jsonl.
func outcomeOf(r reports.RunResult) scenarios.SeedOutcome {
	o := scenarios.SeedOutcome{Seed: r.Seed, Violated: map[string]bool{}, Unknown: r.Verdict == checker.Unknown}
	for _, f := range r.Findings {
		o.Violated[string(f.Kind)] = true
	}
	o.Metrics = runner.MetricValues(r.Metrics)
	return o
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
