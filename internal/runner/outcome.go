package runner

import (
	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/scenarios"
)

// Outcome is what one run contributes to its scenario's expectations: the properties it
// violated, whether a check was undecided, and the metrics an expect section can bound
// (scenarios.Metrics; durations in nanoseconds).
func Outcome(run *Run) scenarios.SeedOutcome {
	res := run.Check
	o := scenarios.SeedOutcome{Seed: run.Result.Seed, Violated: map[string]bool{},
		Unknown: res.Verdict == checker.Unknown}
	for _, f := range res.Findings {
		o.Violated[string(f.Kind)] = true
	}
	m := res.Metrics
	var maxRecovery int64
	for _, r := range m.Recoveries {
		if r.Caused && r.RecoveryNs > maxRecovery {
			maxRecovery = r.RecoveryNs
		}
	}
	o.Metrics = map[string]float64{
		"unavailable_fraction":      m.UnavailableFraction,
		"unavailable":               float64(m.UnavailableNs),
		"max_gap":                   float64(m.MaxGapNs),
		"max_recovery":              float64(maxRecovery),
		"leader_changes":            float64(m.LeaderChanges),
		"keys_unavailable_fraction": m.KeysUnavailableFraction,
		"issuer_msgs_per_sec":       m.IssuerMsgsPerSec,
	}
	return o
}
