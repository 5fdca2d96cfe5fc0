package result

import (
	"testing"

	"github.com/leasesim/leasesim/checker"
)

// TestOutcomeOf: a run's outcome names the properties it violated, whether it was
// undecided, and every metric an expect section may bound, with the longest recovery
// taken over the faults that caused unavailability only.
func TestOutcomeOf(t *testing.T) {
	p1 := checker.Finding{Kind: checker.P1}
	p4 := checker.Finding{Kind: checker.P4}
	for _, c := range []struct {
		name     string
		run      RunResult
		violated map[string]bool
		unknown  bool
		metrics  map[string]float64
	}{
		{"ok", RunResult{Seed: 1, Verdict: checker.Ok}, map[string]bool{}, false, nil},
		{"violated twice", RunResult{Seed: 2, Verdict: checker.Violated, Findings: []checker.Finding{p1, p4, p1}},
			map[string]bool{"p1": true, "p4": true}, false, nil},
		{"undecided", RunResult{Seed: 3, Verdict: checker.Unknown}, map[string]bool{}, true, nil},
		{"metrics", RunResult{Seed: 4, Verdict: checker.Ok, Metrics: checker.Metrics{
			UnavailableFraction: 0.25, UnavailableNs: 7, MaxGapNs: 5, LeaderChanges: 3, IssuerMsgsPerSec: 12.5,
			KeysUnavailableFraction: 0.5, Recoveries: []checker.Recovery{{Caused: true, RecoveryNs: 4}, {Caused: false, RecoveryNs: 9}, {Caused: true, RecoveryNs: 6}}}},
			map[string]bool{}, false, map[string]float64{"unavailable_fraction": 0.25, "unavailable": 7, "max_gap": 5,
				"max_recovery": 6, "leader_changes": 3, "issuer_msgs_per_sec": 12.5, "keys_unavailable_fraction": 0.5}},
	} {
		o := OutcomeOf(c.run)
		if o.Seed != c.run.Seed || o.Unknown != c.unknown || len(o.Violated) != len(c.violated) {
			t.Errorf("%s: outcome %+v", c.name, o)
		}
		for k := range c.violated {
			if !o.Violated[k] {
				t.Errorf("%s: %s not violated", c.name, k)
			}
		}
		for _, m := range Metrics {
			got, ok := o.Metrics[m.Key]
			if !ok {
				t.Errorf("%s: no metric %s, which an expect section may bound", c.name, m.Key)
			}
			if want, set := c.metrics[m.Key]; set && got != want {
				t.Errorf("%s: %s = %v, want %v", c.name, m.Key, got, want)
			}
		}
	}
}
