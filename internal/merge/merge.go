package merge

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/leasesim/leasesim/internal/liverun"
	"github.com/leasesim/leasesim/internal/load"
	"github.com/leasesim/leasesim/internal/suitedir"
	"github.com/leasesim/leasesim/reports"
	"github.com/leasesim/leasesim/result"
	"github.com/leasesim/leasesim/sweep"
)

// Inputs is what the result directories read so far hold, in the order they were read.
type Inputs struct {
	scenarios  []result.ScenarioResult
	runs       []result.RunResult
	sweeps     map[string]*reports.SweepSection
	sweepOrder []string
	failures   []reports.FailureSection
	live       []reports.LiveTrial
}

// Read adds one suite, sweep or live result directory; out is the report's directory,
// which the failures' links are relative to. A directory holding neither results.jsonl
// nor points.jsonl, or a file in it that cannot be read, is an error.
func (in *Inputs) Read(dir, out string) error {
	st, err := os.Stat(dir)
	if err != nil || !st.IsDir() {
		return fmt.Errorf("%s: not a results directory", dir)
	}
	found, err := in.readResults(dir)
	if err != nil {
		return err
	}
	if !found {
		return fmt.Errorf("%s holds neither results.jsonl (suite) nor points.jsonl (sweep)", dir)
	}
	fails, err := suitedir.FailureSections(dir, out)
	if err != nil {
		return err
	}
	in.failures = append(in.failures, fails...)
	lives, err := liverun.TrialSections(dir, out)
	if err != nil {
		return err
	}
	in.live = append(in.live, lives...)
	return nil
}

// readResults reads dir's results.jsonl, runs.jsonl and points.jsonl, each if present,
// and says whether it found a suite's or a sweep's.
func (in *Inputs) readResults(dir string) (found bool, err error) {
	if rs, err := result.ReadJSONLinesFile[result.ScenarioResult](filepath.Join(dir, "results.jsonl")); err == nil {
		in.scenarios, found = append(in.scenarios, rs...), true
	} else if !errors.Is(err, fs.ErrNotExist) {
		return false, err
	}
	if rs, err := result.ReadJSONLinesFile[result.RunResult](filepath.Join(dir, "runs.jsonl")); err == nil {
		in.runs = append(in.runs, rs...)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return false, err
	}
	if pts, err := sweep.ReadPoints(filepath.Join(dir, sweep.PointsName)); err == nil {
		found = true
		in.addSweep(dir, pts)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return false, err
	}
	return found, nil
}

// addSweep merges a sweep directory's points into the section of its scenario (the
// shards of one sweep share a section).
func (in *Inputs) addSweep(dir string, pts []result.SweepPoint) {
	var meta sweep.Meta
	if b, err := os.ReadFile(filepath.Join(dir, sweep.MetaName)); err == nil {
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

// Report is the merged report: the shards' scenarios merged (Suite), sweeps in the
// order they were first seen, and the shards' failures except those of scenarios the
// merged counts meet (a shard's failure that all the seeds together overturn is stale).
func (in *Inputs) Report(title string, sources []string) reports.Report {
	rep := reports.Report{Title: title, Sources: sources, Live: in.live}
	rep.Suite = Suite(in.scenarios, in.runs)
	met := map[string]bool{}
	for _, r := range rep.Suite {
		if r.Met {
			met[r.Scenario] = true
		}
	}
	for _, f := range in.failures {
		if !met[f.Scenario] {
			rep.Failures = append(rep.Failures, f)
		}
	}
	for _, name := range in.sweepOrder {
		rep.Sweeps = append(rep.Sweeps, *in.sweeps[name])
	}
	return rep
}

// Suite merges the scenarios of several shards, evaluating a scenario seen in more than
// one again with the expectations of its scenario file.
func Suite(rs []result.ScenarioResult, runs []result.RunResult) []result.ScenarioResult {
	return result.MergeSuite(rs, runs, func(file string) (result.Expect, error) {
		s, err := load.Scenario(file)
		if err != nil {
			return result.Expect{}, err
		}
		return s.Scenario.Expect, nil
	})
}
