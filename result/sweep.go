package result

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/leasesim/leasesim/stats"
)

// SweepPoint is one point of a parameter sweep: the swept values and what its seeds
// showed. Fractions are of the run; durations are nanoseconds.
type SweepPoint struct {
	Scenario string `json:"scenario"`
	// Set holds the swept parameters' values at this point, as written ("lease": "2s").
	Set map[string]string `json:"set"`
	// Key identifies the point (its Set, sorted) for resuming and merging.
	Key   string `json:"key"`
	Seeds int    `json:"seeds"`
	// Violations counts, per property, the seeds that violated it; ViolatingSeeds the
	// seeds with any violation; Unknown the seeds a check could not decide.
	Violations     map[string]int `json:"violations"`
	ViolatingSeeds int            `json:"violating_seeds"`
	Unknown        int            `json:"unknown,omitempty"`
	// Rates bound, per property (p1…p4) and for any property ("any"), the rate of
	// violating seeds: Clopper–Pearson bounds at DefaultConfidence (SweepRates).
	Rates map[string]Rate `json:"rates,omitempty"`
	// Unavailable fraction over the seeds: mean and percentiles.
	UnavailMean float64 `json:"unavailable_fraction_mean"`
	UnavailP5   float64 `json:"unavailable_fraction_p5"`
	UnavailP50  float64 `json:"unavailable_fraction_p50"`
	UnavailP95  float64 `json:"unavailable_fraction_p95"`
	UnavailMax  float64 `json:"unavailable_fraction_max"`
	// Longest gap over the seeds.
	GapP50 int64 `json:"max_gap_ns_p50"`
	GapP95 int64 `json:"max_gap_ns_p95"`
	GapMax int64 `json:"max_gap_ns_max"`
	// LeaderChanges and IssuerMsgsPerSec are means over the seeds.
	LeaderChanges    float64 `json:"leader_changes_mean"`
	IssuerMsgsPerSec float64 `json:"issuer_msgs_per_sec_mean"`
	// Error is set when the point's parameters were invalid; nothing ran.
	Error string `json:"error,omitempty"`
}

// SweepKey returns the key of a point's parameter values.
func SweepKey(set map[string]string) string {
	keys := make([]string, 0, len(set))
	for k := range set {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + set[k]
	}
	return strings.Join(parts, ",")
}

// SeedSample is what one seed of a sweep point contributes.
type SeedSample struct {
	Violated      []string
	Unknown       bool
	Unavailable   float64
	MaxGap        int64
	LeaderChanges int
	IssuerMsgsPS  float64
}

// NewSweepPoint aggregates the samples of one point.
func NewSweepPoint(scenario string, set map[string]string, samples []SeedSample) SweepPoint {
	p := SweepPoint{Scenario: scenario, Set: set, Key: SweepKey(set), Seeds: len(samples), Violations: map[string]int{}}
	var fr, gaps, changes, msgs []float64
	for _, s := range samples {
		for _, k := range s.Violated {
			p.Violations[k]++
		}
		if len(s.Violated) > 0 {
			p.ViolatingSeeds++
		}
		if s.Unknown {
			p.Unknown++
		}
		fr = append(fr, s.Unavailable)
		gaps = append(gaps, float64(s.MaxGap))
		changes = append(changes, float64(s.LeaderChanges))
		msgs = append(msgs, s.IssuerMsgsPS)
	}
	p.Rates = SweepRates(p)
	p.LeaderChanges, p.IssuerMsgsPerSec = stats.Mean(changes), stats.Mean(msgs)
	// The mean unavailable fraction adds x/n per seed, as points.jsonl files written
	// before do: stats.Mean (Σx/n) can differ in the last bit, and a resumed sweep must
	// write the points it recomputes byte for byte as before.
	if n := float64(len(samples)); n > 0 {
		for _, x := range fr {
			p.UnavailMean += x / n
		}
	}
	p.UnavailP5, p.UnavailP50, p.UnavailP95 = stats.Percentile(fr, 5), stats.Percentile(fr, 50), stats.Percentile(fr, 95)
	p.UnavailMax = stats.Percentile(fr, 100)
	p.GapP50, p.GapP95, p.GapMax = int64(stats.Percentile(gaps, 50)), int64(stats.Percentile(gaps, 95)), int64(stats.Percentile(gaps, 100))
	return p
}

// RateProperties are the keys of SweepPoint.Rates: each property, then AnyProperty.
var RateProperties = []string{"p1", "p2", "p3", "p4", AnyProperty}

// AnyProperty is the Rates key of the seeds that violated any property.
const AnyProperty = "any"

// SweepRates computes a point's Rates from its counts (Rate: one-sided Clopper–Pearson
// bounds at DefaultConfidence, no rate per hour): one per property of RateProperties. A
// point that did not run (Error set) has none.
func SweepRates(p SweepPoint) map[string]Rate {
	if p.Error != "" {
		return nil
	}
	out := make(map[string]Rate, len(RateProperties))
	for _, k := range RateProperties {
		v := p.Violations[k]
		if k == AnyProperty {
			v = p.ViolatingSeeds
		}
		out[k] = RateOf(v, p.Seeds, DefaultConfidence, 0)
	}
	return out
}

// ParamValue turns a swept value into a number for a plot axis: durations in seconds,
// numbers as they are.
func ParamValue(s string) (float64, error) {
	if d, err := time.ParseDuration(s); err == nil {
		return d.Seconds(), nil
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(x) {
		return 0, fmt.Errorf("%q is neither a duration nor a number", s)
	}
	return x, nil
}

// MergePoints merges the points of several result files (shards, reruns): one point per
// key, the one with the most seeds, sorted by the numeric values of params in order.
func MergePoints(params []string, sets ...[]SweepPoint) []SweepPoint {
	byKey := map[string]SweepPoint{}
	for _, set := range sets {
		for _, p := range set {
			if q, ok := byKey[p.Key]; !ok || p.Seeds > q.Seeds {
				byKey[p.Key] = p
			}
		}
	}
	out := make([]SweepPoint, 0, len(byKey))
	for _, p := range byKey {
		out = append(out, p)
	}
	SortPoints(params, out)
	return out
}

// SortPoints orders points by the numeric values of params, in order, then by key.
func SortPoints(params []string, points []SweepPoint) {
	sort.SliceStable(points, func(i, j int) bool {
		for _, k := range params {
			a, errA := ParamValue(points[i].Set[k])
			b, errB := ParamValue(points[j].Set[k])
			if errA == nil && errB == nil && a != b {
				return a < b
			}
			if points[i].Set[k] != points[j].Set[k] {
				return points[i].Set[k] < points[j].Set[k]
			}
		}
		return points[i].Key < points[j].Key
	})
}
