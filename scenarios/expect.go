package scenarios

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-yaml/ast"

	"github.com/leasesim/leasesim/model"
	"github.com/leasesim/leasesim/result"
)

// The expect section's types and the evaluation of expectations over a scenario's runs
// belong to package result; the parser below fills them in. The names stay here for
// the code that builds scenarios.
type (
	// Expect is result.Expect.
	Expect = result.Expect
	// Bound is result.Bound.
	Bound = result.Bound
	// Metric is result.Metric.
	Metric = result.Metric
	// SeedOutcome is result.SeedOutcome.
	SeedOutcome = result.SeedOutcome
)

// The two property expectations (result.PropHolds, result.PropViolated).
const (
	PropHolds    = result.PropHolds
	PropViolated = result.PropViolated
)

var comparisons = []string{"<=", ">=", "==", "<", ">"}

func (d *decoder) expect(n ast.Node, field string) Expect {
	e := Expect{Properties: map[string]string{}}
	m, ok := d.mapping(n, field)
	if !ok {
		return e
	}
	accepted := append([]string{}, result.Properties...)
	for _, mt := range result.Metrics {
		accepted = append(accepted, mt.Key)
	}
	accepted = append(accepted, recoversWithinKey)
	for _, k := range m.keys {
		v := m.value[k]
		kf := join(field, k)
		if d.livenessKey(m, k, kf, &e) {
			continue
		}
		if slices.Contains(result.Properties, k) {
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
		mt, known := result.MetricByKey(k)
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
