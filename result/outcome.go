package result

import "github.com/leasesim/leasesim/checker"

// OutcomeOf is what one run contributes to its scenario's expectations: the properties
// it violated, whether a check was undecided, and every metric an expect section can
// bound (Metrics; durations in nanoseconds). A fresh run and one read back from
// runs.jsonl give the same outcome.
func OutcomeOf(r RunResult) SeedOutcome {
	o := SeedOutcome{Seed: r.Seed, Violated: map[string]bool{}, Unknown: r.Verdict == checker.Unknown}
	for _, f := range r.Findings {
		o.Violated[string(f.Kind)] = true
	}
	o.Metrics = MetricValues(r.Metrics)
	return o
}

// MetricValues returns the value of every metric an expect section can bound (Metrics;
// durations in nanoseconds) from one run's metrics. A run with no holder crash has
// failover_gap_min and failover_gap_max 0: a lower bound on them then fails (the run
// showed no failover), an upper bound holds.
func MetricValues(m checker.Metrics) map[string]float64 {
	var maxRecovery int64
	for _, rc := range m.Recoveries {
		if rc.Caused && rc.RecoveryNs > maxRecovery {
			maxRecovery = rc.RecoveryNs
		}
	}
	gapMin, gapMax, _ := m.FailoverGaps()
	return map[string]float64{
		"unavailable_fraction":      m.UnavailableFraction,
		"unavailable":               float64(m.UnavailableNs),
		"max_gap":                   float64(m.MaxGapNs),
		"max_recovery":              float64(maxRecovery),
		"recovery_after_heal":       float64(m.RecoveryAfterHeal()),
		"failover_gap_min":          float64(gapMin),
		"failover_gap_max":          float64(gapMax),
		"leader_changes":            float64(m.LeaderChanges),
		"keys_unavailable_fraction": m.KeysUnavailableFraction,
		"issuer_msgs_per_sec":       m.IssuerMsgsPerSec,
		"rejected_writes":           float64(m.RejectedWrites),
		"accepted_stale_writes":     float64(m.AcceptedStaleWrites),
	}
}
