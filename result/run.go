package result

import (
	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/stats"
)

// RunResult is the outcome of one seed of one scenario: the object `--json` prints per
// run (docs/outputs.md).
type RunResult struct {
	Scenario  string            `json:"scenario"`
	Protocol  string            `json:"protocol"`
	Mutant    string            `json:"mutant,omitempty"`
	Seed      uint64            `json:"seed"`
	Verdict   checker.Verdict   `json:"verdict"`
	Findings  []checker.Finding `json:"findings"`
	Metrics   checker.Metrics   `json:"metrics"`
	TraceHash string            `json:"trace_hash"`
	Params    map[string]string `json:"params,omitempty"`
	// Live marks a run against a real system.
	Live bool `json:"live,omitempty"`
}

// Expectation is one `expect:` entry of a scenario, evaluated over its seeds.
type Expectation struct {
	Key  string `json:"key"`
	Want string `json:"want"`
	// Got describes what was observed: the worst seed's value, or the seed that violated.
	Got  string `json:"got"`
	Seed uint64 `json:"seed,omitempty"`
	Met  bool   `json:"met"`
	// Undecided says why an unmet expectation is neither met nor failed: "seeds" (more
	// seeds would decide it), "checks" (some checks could not decide); "" when decided.
	Undecided string `json:"undecided,omitempty"`
}

// ScenarioResult is one scenario over all its seeds: the object `suite --json` prints
// per scenario.
type ScenarioResult struct {
	Scenario    string `json:"scenario"`
	Description string `json:"description,omitempty"`
	File        string `json:"file"`
	Protocol    string `json:"protocol"`
	Mutant      string `json:"mutant,omitempty"`
	Seeds       int    `json:"seeds"`
	// PlannedSeeds is the number of seeds the whole run gives the scenario when this
	// result holds fewer (one shard of them); 0 otherwise.
	PlannedSeeds int `json:"planned_seeds,omitempty"`
	// DurationNs is the simulated length of each run (the scenario's duration), from
	// which the rates per simulated hour are computed; 0 when not known.
	DurationNs int64 `json:"duration_ns,omitempty"`
	// Violations counts the seeds that violated each property ("p1".."p4").
	Violations map[string]int `json:"violations"`
	Unknown    int            `json:"unknown"`
	// UnavailableP50 and UnavailableP99 are percentiles of the unavailable fraction over
	// seeds; MaxGapMaxNs is the longest gap over all seeds.
	UnavailableP50 float64 `json:"unavailable_p50"`
	UnavailableP99 float64 `json:"unavailable_p99"`
	MaxGapMaxNs    int64   `json:"max_gap_max_ns"`
	// IssuerMsgsPerSec is the mean over seeds of the messages the issuer nodes sent and
	// received per second: the load the protocol puts on its issuer.
	IssuerMsgsPerSec float64 `json:"issuer_msgs_per_sec"`
	// KeysUnavailableP50 and KeysUnavailableP99 are percentiles over seeds of the keys'
	// unavailable fraction (checker.Metrics.KeysUnavailableFraction), for scenarios
	// whose holders keep keys alive.
	KeysUnavailableP50 float64 `json:"keys_unavailable_p50,omitempty"`
	KeysUnavailableP99 float64 `json:"keys_unavailable_p99,omitempty"`
	// Rates is, per property (p1..p4, and liveness when the scenario checks it), how
	// often its seeds violated it, with exact bounds at the confidence of the property's
	// rate expectation (DefaultConfidence when it has none).
	Rates        map[string]Rate `json:"rates,omitempty"`
	Expectations []Expectation   `json:"expectations"`
	Met          bool            `json:"met"`
	// FailingSeed is a seed that reproduces the first unmet expectation (if it is about a
	// seed), and Reproduce the command that replays it.
	FailingSeed *uint64 `json:"failing_seed,omitempty"`
	Reproduce   string  `json:"reproduce,omitempty"`
	// Swarm says the suite ran the scenario with --swarm (every random: schedule drew its
	// own fault mix per seed), so that a command reproducing one of its seeds, here or
	// after a merge of shards, passes --swarm too.
	Swarm bool `json:"swarm,omitempty"`
	// Bundle is the directory of the failure bundle, when one was written.
	Bundle string `json:"bundle,omitempty"`
	// Error is set when the scenario could not run at all (bad input).
	Error string `json:"error,omitempty"`
	// Budget says which seeds ran when a wall-clock budget (suite --for) chose them.
	Budget *SeedBudget `json:"budget,omitempty"`
	// Runs are the per-seed results (kept out of the JSON summary).
	Runs []RunResult `json:"-"`
}

// Summarize fills in a ScenarioResult's seed statistics from its runs.
func (r *ScenarioResult) Summarize() {
	r.Seeds = len(r.Runs)
	r.Violations = map[string]int{}
	r.Unknown = 0
	var unav, keys, msgs []float64
	r.MaxGapMaxNs = 0
	for _, run := range r.Runs {
		seen := map[checker.Kind]bool{}
		for _, f := range run.Findings {
			if !seen[f.Kind] {
				seen[f.Kind] = true
				r.Violations[string(f.Kind)]++
			}
		}
		if run.Verdict == checker.Unknown {
			r.Unknown++
		}
		unav = append(unav, run.Metrics.UnavailableFraction)
		msgs = append(msgs, run.Metrics.IssuerMsgsPerSec)
		if run.Metrics.KeyLeases > 0 {
			keys = append(keys, run.Metrics.KeysUnavailableFraction)
		}
		if run.Metrics.MaxGapNs > r.MaxGapMaxNs {
			r.MaxGapMaxNs = run.Metrics.MaxGapNs
		}
	}
	r.UnavailableP50 = stats.Percentile(unav, 50)
	r.UnavailableP99 = stats.Percentile(unav, 99)
	r.IssuerMsgsPerSec = stats.Mean(msgs)
	r.KeysUnavailableP50 = stats.Percentile(keys, 50)
	r.KeysUnavailableP99 = stats.Percentile(keys, 99)
}
