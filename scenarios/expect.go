package scenarios

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-yaml/ast"

	"github.com/leasesim/leasesim/model"
)

// Expect is a scenario's expect section: a verdict per property and bounds on metrics.
type Expect struct {
	// Properties maps "p1".."p4" to PropHolds or PropViolated, as written.
	Properties map[string]string
	// Bounds are the metric bounds, in file order.
	Bounds []Bound
	// RecoversWithin is the liveness bound (recovers_within, liveness.go): 0 when the
	// scenario has no fault-free tail.
	RecoversWithin time.Duration
}

// The two property expectations.
const (
	PropHolds    = "holds"
	PropViolated = "violated"
)

// Properties are the property keys of an expect section. Liveness applies only to a
// scenario with a fault-free tail (liveness.go).
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

func metricByKey(key string) (Metric, bool) {
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

var comparisons = []string{"<=", ">=", "==", "<", ">"}

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

func (d *decoder) expect(n ast.Node, field string) Expect {
	e := Expect{Properties: map[string]string{}}
	m, ok := d.mapping(n, field)
	if !ok {
		return e
	}
	accepted := append([]string{}, Properties...)
	for _, mt := range Metrics {
		accepted = append(accepted, mt.Key)
	}
	accepted = append(accepted, recoversWithinKey)
	for _, k := range m.keys {
		v := m.value[k]
		kf := join(field, k)
		if d.livenessKey(m, k, kf, &e) {
			continue
		}
		if slices.Contains(Properties, k) {
			m.taken[k] = true
			s, ok := d.str(v, kf)
			if !ok {
				continue
			}
			if s != PropHolds && s != PropViolated {
				d.errorf(v, kf, "%q is not a property verdict; expected holds or violated", s)
				continue
			}
			e.Properties[k] = s
			continue
		}
		mt, known := metricByKey(k)
		if !known {
			continue
		}
		m.taken[k] = true
		if b, ok := d.bound(v, kf, mt); ok {
			e.Bounds = append(e.Bounds, b)
		}
	}
	d.done(m, field, accepted...)
	return e
}

func (d *decoder) bound(n ast.Node, field string, mt Metric) (Bound, bool) {
	n = d.resolve(n)
	example := `"<= 0.02"`
	if mt.Duration {
		example = `"<= 15s"`
	}
	s, isString := n.(*ast.StringNode)
	if !isString {
		d.errorf(n, field, "expected a comparison like %s, got %s", example, describe(n))
		return Bound{}, false
	}
	text := strings.TrimSpace(s.Value)
	b := Bound{Metric: mt.Key}
	for _, op := range comparisons {
		if strings.HasPrefix(text, op) {
			b.Op = op
			b.Text = strings.TrimSpace(text[len(op):])
			break
		}
	}
	if b.Op == "" {
		d.errorf(n, field, "%q does not start with a comparison (<=, <, >=, >, ==); expected something like %s", text, example)
		return Bound{}, false
	}
	if mt.Duration {
		dur, err := time.ParseDuration(b.Text)
		if err != nil || dur < 0 || dur > model.MaxDuration {
			d.errorf(n, field, "%q is not a duration in [0, %s]; expected something like %s", b.Text, maxText, example)
			return Bound{}, false
		}
		b.Value = float64(dur)
		return b, true
	}
	x, err := strconv.ParseFloat(b.Text, 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		d.errorf(n, field, "%q is not a number; expected something like %s", b.Text, example)
		return Bound{}, false
	}
	// Fractions lie in [0, 1], counts and rates are >= 0: a bound outside can never
	// be met, or always is.
	if strings.HasSuffix(mt.Key, "_fraction") && (x < 0 || x > 1) {
		d.errorf(n, field, "%s is outside [0, 1]; expected a fraction, like %s", b.Text, example)
		return Bound{}, false
	}
	if x < 0 {
		d.errorf(n, field, "%s is negative; expected a number >= 0, like %s", b.Text, example)
		return Bound{}, false
	}
	b.Value = x
	return b, true
}

// SeedOutcome is what one seed's run contributes to the expectations: which properties
// it violated, its metrics (durations in nanoseconds), and whether some check could not
// decide.
type SeedOutcome struct {
	Seed     uint64
	Violated map[string]bool
	Metrics  map[string]float64
	Unknown  bool
}

// ExpectResult is one expectation checked over every seed of a scenario: what was
// wanted, what was seen ("violated by 3/20 seeds", "worst 12.3s"), the seed that decides
// it (the first violating seed; the first seed when a wanted violation never happened;
// the first undecided seed; the worst seed for a bound) and whether it was met.
type ExpectResult struct {
	Key     string
	Want    string
	Got     string
	Seed    uint64
	HasSeed bool
	Met     bool
}

// Effective returns the property expectations that apply: those written, and — when the
// file expects no property to be violated — "holds" for every property it does not
// mention, so that a scenario about availability still fails on a safety violation. A
// file that expects some violation constrains only the properties it names. Liveness is
// among the implied ones only when the scenario has a tail (RecoversWithin > 0).
func (e Expect) Effective() map[string]string {
	out := map[string]string{}
	anyViolated := false
	for k, v := range e.Properties {
		out[k] = v
		anyViolated = anyViolated || v == PropViolated
	}
	if !anyViolated {
		for _, p := range Properties {
			if p == Liveness && e.RecoversWithin == 0 {
				continue
			}
			if _, ok := out[p]; !ok {
				out[p] = PropHolds
			}
		}
	}
	return out
}

// Evaluate checks every expectation over the outcomes of all seeds (FORMAT.md):
// "violated" is met when at least one seed violates the property, "holds" when none
// does; a bound must hold for the worst seed. With no outcomes nothing is met. A seed
// whose check was undecided counts as neither holding nor violating: "holds" is then not
// met, since it could not be shown.
func (e Expect) Evaluate(outs []SeedOutcome) []ExpectResult {
	var res []ExpectResult
	eff := e.Effective()
	for _, p := range Properties {
		want, ok := eff[p]
		if !ok {
			continue
		}
		r := ExpectResult{Key: p, Want: want}
		violated, unknown := 0, 0
		for _, o := range outs {
			if o.Violated[p] {
				if violated == 0 {
					r.Seed, r.HasSeed = o.Seed, true
				}
				violated++
			} else if o.Unknown && p != Liveness {
				unknown++
			}
		}
		r.Got = fmt.Sprintf("violated by %d/%d seeds", violated, len(outs))
		if unknown > 0 {
			r.Got += fmt.Sprintf(", %d undecided", unknown)
		}
		if want == PropViolated {
			r.Met = violated > 0
			if !r.Met && len(outs) > 0 {
				// Every seed shows the property holding; the first one reproduces that.
				r.Seed, r.HasSeed = outs[0].Seed, true
			}
		} else {
			r.Met = len(outs) > 0 && violated == 0 && unknown == 0
			if !r.Met && !r.HasSeed {
				for _, o := range outs {
					if o.Unknown {
						r.Seed, r.HasSeed = o.Seed, true
						break
					}
				}
			}
		}
		res = append(res, r)
	}
	for _, b := range e.Bounds {
		mt, _ := metricByKey(b.Metric)
		r := ExpectResult{Key: b.Metric, Want: b.Op + " " + b.Text}
		worst, seed, have := 0.0, uint64(0), false
		for _, o := range outs {
			x := o.Metrics[b.Metric]
			if !have || b.worse(x, worst) {
				worst, seed, have = x, o.Seed, true
			}
		}
		if have {
			r.Seed, r.HasSeed = seed, true
			r.Met = b.holds(worst)
			if mt.Duration {
				r.Got = "worst " + time.Duration(worst).String()
			} else {
				r.Got = "worst " + strconv.FormatFloat(worst, 'g', 6, 64)
			}
		} else {
			r.Got = "no seeds"
		}
		res = append(res, r)
	}
	return res
}
