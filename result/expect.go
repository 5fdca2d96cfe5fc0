package result

import (
	"math"
	"time"
)

// Expect is a scenario's expect section (parsed by package scenarios): a verdict per property and bounds on metrics.
type Expect struct {
	// Properties maps "p1".."p4" to PropHolds or PropViolated, as written.
	Properties map[string]string
	// Bounds are the metric bounds, in file order.
	Bounds []Bound
	// RecoversWithin is the liveness bound (recovers_within): 0 when the scenario has no
	// fault-free tail.
	RecoversWithin time.Duration
}

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

// Bound is one metric bound: Metric Op Value ("max_gap <= 15s").
type Bound struct {
	Metric string
	Op     string // <=, <, >=, >, ==
	Value  float64
	// Text is the operand as written ("15s", "0.02").
	Text string
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
