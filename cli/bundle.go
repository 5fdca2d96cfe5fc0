package cli

import (
	"time"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/history"
	"github.com/leasesim/leasesim/internal/bundle"
	"github.com/leasesim/leasesim/internal/rundir"
	"github.com/leasesim/leasesim/live"
	"github.com/leasesim/leasesim/result"
)

// bundleInfo is a failure bundle's bundle.json.
type bundleInfo = bundle.Info

// writeBundle writes the failure bundle of a scenario's seed under failures (package
// bundle) and returns its directory.
func writeBundle(failures string, l *loaded, seed uint64, timeout time.Duration, unmet []result.Expectation) (string, error) {
	return bundle.Write(failures, l.source(), seed, timeout, unmet)
}

// writeFileAtomic writes a file through a temporary file and a rename.
func writeFileAtomic(path string, data []byte) error { return rundir.WriteFile(path, data) }

// writeRunDir writes one run's directory (package rundir); a live run's belief overlaps
// are drawn as expected.
func writeRunDir(dir string, h *history.History, r result.RunResult, res checker.Result, transcript []byte) error {
	opt := rundir.Options{Transcript: transcript}
	if h.Meta.Live {
		opt.Expected = live.IsBeliefOverlap
	}
	return rundir.Write(dir, h, r, res, opt)
}
