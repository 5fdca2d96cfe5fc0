package result

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/leasesim/leasesim/stats"
)

// Expect is a scenario's expect section (parsed by package scenarios): a verdict per property and bounds on metrics.
type Expect struct {
	// Properties maps "p1".."p4" to PropHolds or PropViolated, as written.
	Properties map[string]string
	// Bounds are the metric bounds, in file order.
	Bounds []Bound
	// Rates maps a property to its rate expectation ({rate: "<= 0.1%"}), when the file
	// gives one instead of holds or violated.
	Rates map[string]RateBound
	// RecoversWithin is the liveness bound (recovers_within): 0 when the scenario has no
	// fault-free tail.
	RecoversWithin time.Duration
	// Seeds is the scenario's own seed count (its file's seeds:, or the default), over
	// which violated is judged: a run of fewer seeds that shows no violation leaves it
	// undecided. 0 when the scenario was not read from a file: the seeds that ran.
	Seeds int
}

// RateBound is a rate expectation on a property: the fraction of seeds (runs) that
// violate it, Op Value, judged with an exact (Clopper–Pearson) bound at Confidence —
// met when the bound shows it, not met when it refutes it, undecided in between.
type RateBound struct {
	Property string
	Op       string // <=, <, >=, >
	Value    float64
	// Text is the rate as written ("0.1%").
	Text       string
	Confidence float64
}

// Want is the rate expectation as a verdict line shows it: "rate <= 0.1% at 95%".
func (rb RateBound) Want() string {
	return "rate " + rb.Op + " " + rb.Text + " at " + Percent(rb.Confidence)
}

// DefaultConfidence is the confidence of a rate expectation that gives none, and of the
// rates every scenario result carries.
const DefaultConfidence = 0.95

// The two property expectations.
const (
	PropHolds    = "holds"
	PropViolated = "violated"
)

// Liveness is the expect key of the liveness property: once every fault has healed, the
// system is led again within recovers_within and never goes longer than that without a
// leader until the run ends (docs/liveness.md). It is checked only in a scenario with a
// fault-free tail.
const Liveness = "liveness"

// Properties are the property keys of an expect section. Liveness applies only to a
// scenario with a fault-free tail.
var Properties = []string{"p1", "p2", "p3", "p4", Liveness}

// Metric describes one metric an expectation can bound.
type Metric struct {
	Key string
	// Duration metrics are compared in nanoseconds and written as Go durations.
	Duration bool
	Doc      string
}

// Metrics are the metrics an expect section can bound: the worst seed must satisfy the
// bound.
var Metrics = []Metric{
	{Key: "unavailable_fraction", Doc: "fraction of the run with no holder while one wanted the lease"},
	{Key: "unavailable", Duration: true, Doc: "total unavailable time"},
	{Key: "max_gap", Duration: true, Doc: "longest unavailable stretch"},
	{Key: "max_recovery", Duration: true, Doc: "longest time from a fault's start until the lease was held again"},
	{Key: "recovery_after_heal", Duration: true, Doc: "longest time from a fault's end (its heal) until the lease was held again, over the faults that caused unavailability"},
	{Key: "failover_gap_min", Duration: true, Doc: "shortest failover gap: from a crash of the holder that held the lease until some holder held it again (0 when no holder crashed)"},
	{Key: "failover_gap_max", Duration: true, Doc: "longest failover gap (see failover_gap_min; 0 when no holder crashed)"},
	{Key: "leader_changes", Doc: "times the lease moved to a different holder"},
	{Key: "issuer_msgs_per_sec", Doc: "messages the issuers sent and received per second"},
	{Key: "keys_unavailable_fraction", Doc: "mean fraction of the run in which a lease holding keys (keys/...) was not held"},
	{Key: "rejected_writes", Doc: "writes the resource rejected"},
	{Key: "accepted_stale_writes", Doc: "writes the resource accepted under an epoch older than one it had accepted before (those P2 reports)"},
}

// MetricByKey returns the metric an expect section names by key.
func MetricByKey(key string) (Metric, bool) {
	for _, m := range Metrics {
		if m.Key == key {
			return m, true
		}
	}
	return Metric{}, false
}

// Bound is one metric bound: Metric Op Value ("max_gap <= 15s"), over the worst seed,
// or over a percentile of the seeds ({p99: "<= 2%"}).
type Bound struct {
	Metric string
	Op     string // <=, <, >=, >, ==
	Value  float64
	// Text is the operand as written ("15s", "0.02", "2%").
	Text string
	// Percentile is the statistic over seeds that must satisfy the bound (one of
	// Percentiles); "" for the worst seed.
	Percentile string
}

// Percentiles are the statistics over seeds a metric bound may name instead of the
// worst seed: the nearest-rank percentiles p50..p99 (stats.Percentile), and min and max.
var Percentiles = []string{"p50", "p90", "p95", "p99", "min", "max"}

// percentileOf is the statistic name over xs (one of Percentiles).
func percentileOf(name string, xs []float64) float64 {
	switch name {
	case "min":
		return stats.Percentile(xs, 0)
	case "max":
		return stats.Percentile(xs, 100)
	}
	p, _ := strconv.ParseFloat(strings.TrimPrefix(name, "p"), 64)
	return stats.Percentile(xs, p)
}

// Want is the bound as a verdict line shows it: "<= 15s", "p99 <= 2%".
func (b Bound) Want() string {
	if b.Percentile != "" {
		return b.Percentile + " " + b.Op + " " + b.Text
	}
	return b.Op + " " + b.Text
}

func (b Bound) holds(x float64) bool {
	switch b.Op {
	case "<=":
		return x <= b.Value
	case "<":
		return x < b.Value
	case ">=":
		return x >= b.Value
	case ">":
		return x > b.Value
	case "==":
		return x == b.Value
	}
	return false
}

// worse says whether x is a worse value than y for this bound: the one Evaluate reports.
func (b Bound) worse(x, y float64) bool {
	if b.Op == ">=" || b.Op == ">" {
		return x < y
	}
	if b.Op == "==" {
		return math.Abs(x-b.Value) > math.Abs(y-b.Value)
	}
	return x > y
}
