package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/leasesim/leasesim/history"
	"github.com/leasesim/leasesim/internal/runner"
	"github.com/leasesim/leasesim/model"
	"github.com/leasesim/leasesim/reports"
	"github.com/leasesim/leasesim/scenarios"
)

func init() {
	subcommands = append(subcommands, newSweepCmd)
}

// sweepSet is one --set flag: a parameter and its values, or a value derived from
// another parameter ("renew=lease/4").
type sweepSet struct {
	name   string
	values []string
	// derived: name = of / div (durations)
	of  string
	div float64
}

// parseSet reads NAME=LIST, NAME=FROM:TO:STEP or NAME=OTHER/N.
func parseSet(s string) (sweepSet, error) {
	name, val, ok := strings.Cut(s, "=")
	if !ok || name == "" || val == "" {
		return sweepSet{}, fmt.Errorf("--set %q: expected NAME=v1,v2,… or NAME=FROM:TO:STEP or NAME=OTHER/N", s)
	}
	set := sweepSet{name: strings.TrimSpace(name)}
	if of, div, ok := strings.Cut(val, "/"); ok && !strings.ContainsAny(of, "0123456789") {
		d, err := strconv.ParseFloat(div, 64)
		if err != nil || d <= 0 {
			return sweepSet{}, fmt.Errorf("--set %q: %q is not a positive divisor", s, div)
		}
		set.of, set.div = of, d
		return set, nil
	}
	if parts := strings.Split(val, ":"); len(parts) == 3 {
		from, e1 := time.ParseDuration(parts[0])
		to, e2 := time.ParseDuration(parts[1])
		step, e3 := time.ParseDuration(parts[2])
		if e1 == nil && e2 == nil && e3 == nil {
			if step <= 0 || to < from {
				return sweepSet{}, fmt.Errorf("--set %q: expected FROM <= TO and STEP > 0", s)
			}
			for d := from; d <= to && len(set.values) <= 10000; d += step {
				set.values = append(set.values, d.String())
			}
			return set, nil
		}
		a, e1 := strconv.ParseFloat(parts[0], 64)
		b, e2 := strconv.ParseFloat(parts[1], 64)
		st, e3 := strconv.ParseFloat(parts[2], 64)
		if e1 != nil || e2 != nil || e3 != nil || st <= 0 || b < a {
			return sweepSet{}, fmt.Errorf("--set %q: FROM:TO:STEP must be three durations or three numbers, FROM <= TO, STEP > 0", s)
		}
		for x := a; x <= b+st/1e9 && len(set.values) <= 10000; x += st {
			set.values = append(set.values, strconv.FormatFloat(x, 'g', 10, 64))
		}
		return set, nil
	}
	for _, v := range strings.Split(val, ",") {
		if v = strings.TrimSpace(v); v != "" {
			set.values = append(set.values, v)
		}
	}
	if len(set.values) == 0 {
		return sweepSet{}, fmt.Errorf("--set %q: no values", s)
	}
	return set, nil
}

// sweepMeta is sweep.json: which sweep a directory holds, for leasesim report.
type sweepMeta struct {
	Scenario string   `json:"scenario"`
	File     string   `json:"file"`
	Params   []string `json:"params"`
	Command  string   `json:"command"`
}

// sweepKnobs are the scenario settings a sweep may vary besides protocol parameters.
var sweepKnobs = map[string]string{
	"loss":      "the network's loss probability",
	"mean_gap":  "the mean gap between random faults (every random: entry)",
	"drift_ppm": "the default clock drift bound",
}

// applySet returns a copy of sc with the point's values applied.
func applySet(sc *scenarios.Scenario, proto *model.Protocol, point map[string]string) (*scenarios.Scenario, error) {
	c := *sc
	c.Params = map[string]string{}
	for k, v := range sc.Params {
		c.Params[k] = v
	}
	for _, k := range slices.Sorted(maps.Keys(point)) { // the first bad value named is the same every run
		v := point[k]
		switch k {
		case "loss":
			x, err := strconv.ParseFloat(v, 64)
			if err != nil || x < 0 || x > 1 {
				return nil, fmt.Errorf("loss %q: expected a probability in [0, 1]", v)
			}
			c.Network.Loss = x
		case "mean_gap":
			d, err := time.ParseDuration(v)
			if err != nil || d <= 0 {
				return nil, fmt.Errorf("mean_gap %q: expected a positive duration", v)
			}
			c.Faults = append([]scenarios.Fault(nil), sc.Faults...)
			for i := range c.Faults {
				if c.Faults[i].Random != nil {
					r := *c.Faults[i].Random
					r.MeanGap = d
					c.Faults[i].Random = &r
				}
			}
		case "drift_ppm":
			x, err := strconv.ParseFloat(v, 64)
			if err != nil || x < 0 {
				return nil, fmt.Errorf("drift_ppm %q: expected a bound >= 0", v)
			}
			c.Clocks = map[string]scenarios.Clock{}
			for n, cl := range sc.Clocks {
				c.Clocks[n] = cl
			}
			def := c.Clocks["default"]
			def.DriftPPM, def.HasDrift = x, true
			c.Clocks["default"] = def
		default:
			c.Params[k] = v
		}
	}
	v, err := proto.ParseValues(c.Params)
	if err != nil {
		return nil, err
	}
	c.Values = v
	return &c, nil
}

func newSweepCmd() *cobra.Command {
	var (
		sets    []string
		seeds   int
		out     string
		shard   string
		workers int
		asJSON  bool
	)
	cmd := &cobra.Command{
		Use:   "sweep SCENARIO --set NAME=VALUES ...",
		Short: "Run the cross product of parameter values × seeds; CSV, JSON lines, plots",
		Long: `sweep runs a scenario at every point of the cross product of its --set flags (the first
flag varies slowest), each point over --seeds seeds, in parallel, and writes into --out:
points.jsonl (one object per point), sweep.csv, unavailability.{svg,png} (unavailable
fraction against the first swept parameter, one line per value of the second, a p5–p95
band over seeds, red crosses where a seed violated a property), violations.{svg,png}
(violation rate: the safety boundary) and timeline.{svg,png} of the worst run.

Values: --set lease=1s,2s,5s (a list), --set lease=1s:10s:1s (FROM:TO:STEP, durations or
numbers), --set renew=lease/4 (derived from another swept parameter). Besides the
protocol's parameters: loss, mean_gap (of random faults), drift_ppm (default clock).

--shard i/n runs every n-th point. A rerun skips the points already in points.jsonl with
as many seeds; 'leasesim report' merges the points of several directories.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			l, err := loadScenario(args[0])
			if err != nil {
				return err
			}
			proto, _ := model.Lookup(l.sc.Protocol)
			si, sn, err := parseShard(shard)
			if err != nil {
				return err
			}
			if len(sets) == 0 {
				return badInput("sweep needs at least one --set NAME=VALUES")
			}
			var parsed []sweepSet
			var swept []string
			known := map[string]bool{}
			for _, prm := range proto.AllParams() {
				known[prm.Name] = true
			}
			for k := range sweepKnobs {
				known[k] = true
			}
			for _, s := range sets {
				ps, err := parseSet(s)
				if err != nil {
					return badInput("%v", err)
				}
				if !known[ps.name] {
					return badInput("--set %s: protocol %s has no parameter %q, and it is not one of loss, mean_gap, drift_ppm", s, proto.Name, ps.name)
				}
				parsed = append(parsed, ps)
				if ps.of == "" {
					swept = append(swept, ps.name)
				}
			}
			if seeds <= 0 {
				seeds = l.sc.Seeds.Count
			}
			points := crossProduct(parsed)
			if out == "" {
				out = filepath.Join("out", "sweep-"+l.sc.Name)
			}
			if err := os.MkdirAll(out, 0o755); err != nil {
				return err
			}
			done := map[string]reports.SweepPoint{}
			if prev, err := readPoints(filepath.Join(out, "points.jsonl")); err == nil {
				for _, p := range prev {
					if p.Seeds >= seeds || p.Error != "" {
						done[p.Key] = p
					}
				}
			} else if !errors.Is(err, fs.ErrNotExist) {
				return err
			}
			var results []reports.SweepPoint
			var todo []map[string]string
			var variants []*scenarios.Scenario
			for k, pt := range points {
				if sn > 1 && k%sn != si-1 {
					continue
				}
				key := reports.SweepKey(pt)
				if p, ok := done[key]; ok {
					results = append(results, p)
					continue
				}
				v, err := applySet(l.sc, proto, pt)
				if err != nil {
					results = append(results, reports.SweepPoint{Scenario: l.sc.Name, Set: pt, Key: key, Error: err.Error()})
					continue
				}
				v.Seeds = scenarios.Seeds{From: l.sc.Seeds.From, Count: seeds}
				todo = append(todo, pt)
				variants = append(variants, v)
			}
			prog := newProgress("sweep "+l.sc.Name, len(variants)*seeds)
			// The worst run (violations first, then the longest gap) gets a timeline.
			var worstJob runner.Job
			var worstScore int64 = -1
			runs, err := runner.RunJobs(cmd.Context(), variants, runner.Jobs(variants), runner.SuiteOptions{
				Workers: workers, KeepHistories: false,
				OnRun: func(j runner.Job, r *runner.Run) {
					prog.step(1)
					if g := r.Check.Metrics.MaxGapNs + int64(len(r.Check.Findings))*int64(time.Hour); g > worstScore {
						worstScore, worstJob = g, j
					}
				},
			})
			prog.finish()
			if err != nil {
				return badInput("%v", err)
			}
			for i, pt := range todo {
				var samples []reports.SeedSample
				for _, r := range runs[i*seeds : (i+1)*seeds] {
					s := reports.SeedSample{Unknown: r.Check.Verdict == "unknown", Unavailable: r.Check.Metrics.UnavailableFraction,
						MaxGap: r.Check.Metrics.MaxGapNs, LeaderChanges: r.Check.Metrics.LeaderChanges, IssuerMsgsPS: r.Check.Metrics.IssuerMsgsPerSec}
					seen := map[string]bool{}
					for _, f := range r.Check.Findings {
						if !seen[string(f.Kind)] {
							seen[string(f.Kind)] = true
							s.Violated = append(s.Violated, string(f.Kind))
						}
					}
					samples = append(samples, s)
				}
				results = append(results, reports.NewSweepPoint(l.sc.Name, pt, samples))
			}
			reports.SortPoints(swept, results)
			if err := writeSweep(out, swept, results); err != nil {
				return err
			}
			meta, _ := json.Marshal(sweepMeta{Scenario: l.sc.Name, File: l.file, Params: swept,
				Command: "leasesim " + strings.Join(os.Args[1:], " ")})
			if err := writeFileAtomic(filepath.Join(out, "sweep.json"), append(meta, '\n')); err != nil {
				return err
			}
			if worstScore >= 0 {
				// Re-run the worst seed with its history kept, for the timeline.
				r, err := runner.RunSeed(variants[worstJob.Scenario], worstJob.Seed, runner.Options{})
				if err == nil {
					if err := writeSweepTimeline(out, r.History, r); err != nil {
						return err
					}
				}
			}
			w := cmd.OutOrStdout()
			if asJSON {
				return reports.WriteJSONLines(w, results)
			}
			printSweep(w, swept, results)
			fmt.Fprintf(w, "\nresults in %s: points.jsonl, sweep.csv, unavailability.svg/.png, violations.svg/.png, timeline.svg/.png\n", out)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&sets, "set", nil, "NAME=v1,v2 | NAME=FROM:TO:STEP | NAME=OTHER/N (repeatable)")
	f.IntVar(&seeds, "seeds", 0, "seeds per point (default: the scenario's count)")
	f.StringVar(&out, "out", "", "results directory (default out/sweep-NAME)")
	f.StringVar(&shard, "shard", "", "run only shard i of n (i/n) of the points")
	f.IntVar(&workers, "workers", 0, "runs in parallel (default: the number of CPUs)")
	f.BoolVar(&asJSON, "json", false, "print one JSON object per point")
	return cmd
}

// crossProduct expands the sets into points, the first set varying slowest; derived
// values are computed from the point's own values.
func crossProduct(sets []sweepSet) []map[string]string {
	points := []map[string]string{{}}
	for _, s := range sets {
		if s.of != "" {
			continue
		}
		var next []map[string]string
		for _, p := range points {
			for _, v := range s.values {
				q := map[string]string{}
				for k, x := range p {
					q[k] = x
				}
				q[s.name] = v
				next = append(next, q)
			}
		}
		points = next
	}
	for _, s := range sets {
		if s.of == "" {
			continue
		}
		for _, p := range points {
			if d, err := time.ParseDuration(p[s.of]); err == nil {
				p[s.name] = time.Duration(float64(d) / s.div).Round(time.Microsecond).String()
			} else if x, err := strconv.ParseFloat(p[s.of], 64); err == nil {
				p[s.name] = strconv.FormatFloat(x/s.div, 'g', 10, 64)
			}
		}
	}
	return points
}

func readPoints(path string) ([]reports.SweepPoint, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return reports.ReadJSONLines[reports.SweepPoint](f, path)
}

// writeSweep writes points.jsonl, sweep.csv and the two plots, each atomically.
func writeSweep(out string, swept []string, points []reports.SweepPoint) error {
	var b bytes.Buffer
	if err := reports.WriteJSONLines(&b, points); err != nil {
		return err
	}
	if err := writeFileAtomic(filepath.Join(out, "points.jsonl"), b.Bytes()); err != nil {
		return err
	}
	b.Reset()
	if err := reports.WriteSweepCSV(&b, swept, points); err != nil {
		return err
	}
	if err := writeFileAtomic(filepath.Join(out, "sweep.csv"), b.Bytes()); err != nil {
		return err
	}
	return writeSweepPlots(out, swept, points)
}

func writeSweepPlots(out string, swept []string, points []reports.SweepPoint) error {
	if len(swept) == 0 {
		return nil
	}
	x, by := swept[0], ""
	if len(swept) > 1 {
		by = swept[1]
	}
	name := ""
	if len(points) > 0 {
		name = points[0].Scenario
	}
	up, err := reports.UnavailabilityPlot(points, x, by, name+": unavailability vs "+x)
	if err != nil {
		return err
	}
	vp, err := reports.ViolationPlot(points, x, by, name+": safety vs "+x)
	if err != nil {
		return err
	}
	for _, format := range []string{"svg", "png"} {
		var b bytes.Buffer
		if err := reports.WritePlot(&b, up, format); err != nil {
			return err
		}
		if err := writeFileAtomic(filepath.Join(out, "unavailability."+format), b.Bytes()); err != nil {
			return err
		}
		b.Reset()
		if err := reports.WritePlot(&b, vp, format); err != nil {
			return err
		}
		if err := writeFileAtomic(filepath.Join(out, "violations."+format), b.Bytes()); err != nil {
			return err
		}
	}
	return nil
}

func writeSweepTimeline(out string, h *history.History, r *runner.Run) error {
	for _, format := range []string{"svg", "png"} {
		var b bytes.Buffer
		if err := reports.WriteTimeline(&b, format, h, r.Check.Findings, reports.TimelineOptions{Liveness: true}); err != nil {
			return err
		}
		if err := writeFileAtomic(filepath.Join(out, "timeline."+format), b.Bytes()); err != nil {
			return err
		}
	}
	info, _ := json.Marshal(map[string]any{"scenario": h.Meta.Scenario, "seed": h.Meta.Seed, "params": h.Meta.Params,
		"why": "the sweep's worst run: violations first, then the longest gap"})
	return writeFileAtomic(filepath.Join(out, "timeline.json"), append(info, '\n'))
}

func printSweep(w interface{ Write([]byte) (int, error) }, swept []string, points []reports.SweepPoint) {
	fmt.Fprintf(w, "%s  seeds  violating  unavail mean  p95       max gap p95\n", strings.Join(swept, "  "))
	for _, p := range points {
		var vals []string
		for _, k := range swept {
			vals = append(vals, p.Set[k])
		}
		if p.Error != "" {
			fmt.Fprintf(w, "%s  invalid: %s\n", strings.Join(vals, "  "), p.Error)
			continue
		}
		fmt.Fprintf(w, "%s  %5d  %9d  %10.4f%%  %8.4f%%  %s\n", strings.Join(vals, "  "), p.Seeds, p.ViolatingSeeds,
			100*p.UnavailMean, 100*p.UnavailP95, time.Duration(p.GapP95).Round(time.Millisecond))
	}
}
