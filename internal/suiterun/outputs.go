package suiterun

import (
	"errors"
	"fmt"
	"time"

	"github.com/leasesim/leasesim/internal/load"
	"github.com/leasesim/leasesim/internal/outdir"
	"github.com/leasesim/leasesim/internal/suitedir"
	"github.com/leasesim/leasesim/reports"
	"github.com/leasesim/leasesim/result"
)

// Prepare creates and checks every output before any run, so that a bad path costs
// nothing and never hides the verdict; its error names the flag (--out, --junit). Call
// release when done.
func (s *Suite) Prepare() (release func(), err error) {
	release = func() {}
	if s.cfg.Out != "" {
		d, err := outdir.Prepare("--out", s.cfg.Out)
		if err != nil {
			return nil, err
		}
		release = d.Release
		if s.failures, err = suitedir.Prepare(d, s.cfg.Out); err != nil {
			d.Release()
			return nil, fmt.Errorf("--out %w", err)
		}
	}
	if s.cfg.JUnit != "" {
		if err := outdir.CheckFile("--junit", s.cfg.JUnit); err != nil {
			release()
			return nil, err
		}
	}
	return release, nil
}

// writeResults rewrites results.jsonl and runs.jsonl under Out.
func (s *Suite) writeResults(rs []result.ScenarioResult) error {
	return suitedir.WriteResults(s.cfg.Out, rs)
}

// writeOutputs writes the failure bundles, the final results and report under Out,
// and the JUnit file; it returns the results with their bundles and reproduce commands.
func (s *Suite) writeOutputs(rs []result.ScenarioResult) []result.ScenarioResult {
	var sources []load.Source
	for _, l := range s.sources {
		sources = append(sources, *l)
	}
	rs, err := suitedir.Bundles{Dir: s.failures, Sources: sources, Panics: s.done.Panics, Timeout: s.cfg.Timeout, Swarm: s.cfg.Swarm}.Write(rs)
	s.writeErr = errors.Join(s.writeErr, err)
	if s.cfg.Out != "" {
		s.writeErr = errors.Join(s.writeErr, s.writeResults(rs), suitedir.WriteReport(s.cfg.Out, rs))
	}
	if s.cfg.JUnit == "" {
		return rs
	}
	err = suitedir.WriteJUnit(s.cfg.JUnit, reports.JUnitSuite{Name: "leasesim suite",
		Started: s.done.Started, Elapsed: time.Since(s.done.Started), Results: rs, CaseTime: s.done.Elapsed})
	if err != nil {
		s.writeErr = errors.Join(s.writeErr, fmt.Errorf("--junit %s: %w", s.cfg.JUnit, err))
	}
	return rs
}
