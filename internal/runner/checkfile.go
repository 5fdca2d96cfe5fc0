package runner

import (
	"os"
	"time"

	"github.com/leasesim/leasesim/history"
	"github.com/leasesim/leasesim/result"
)

// CheckFile reads the history at path (JSON lines, history.Read: every record checked
// first) and checks it (Check), as `leasesim check` does: the run's result takes its
// scenario, protocol, seed and parameters from the meta record. An error names the file
// and, for a bad record, its line and field.
func CheckFile(path string, opt Options) (*Run, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	h, err := history.Read(f, path)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	res := Check(h, opt)
	r := result.RunResult{Scenario: h.Meta.Scenario, Protocol: h.Meta.Protocol, Mutant: h.Meta.Mutant,
		Seed: h.Meta.Seed, Verdict: res.Verdict, Findings: res.Findings, Metrics: res.Metrics,
		TraceHash: h.Meta.TraceHash, Params: h.Meta.Params, Live: h.Meta.Live}
	return &Run{Result: r, History: h, Check: res, Elapsed: time.Since(start)}, nil
}
