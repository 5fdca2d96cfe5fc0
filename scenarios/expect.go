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
			if isMapping(d.resolve(v)) {
				if rb, ok := d.rate(v, kf, k); ok {
					if e.Rates == nil {
						e.Rates = map[string]result.RateBound{}
					}
					e.Rates[k] = rb
				}
				continue
			}
			s, ok := d.verdict(v, kf)
			if !ok {
				continue
			}
			if s != PropHolds && s != PropViolated {
				d.errorf(v, kf, "%q is not a property verdict; expected holds, violated or a rate like {rate: \"<= 0.1%%\"}", s)
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
		if isMapping(d.resolve(v)) {
			e.Bounds = append(e.Bounds, d.percentileBounds(v, kf, mt)...)
			continue
		}
		if b, ok := d.bound(v, kf, mt); ok {
			e.Bounds = append(e.Bounds, b)
		}
	}
	d.done(m, field, accepted...)
	return e
}

// verdict reads a property's holds or violated.
func (d *decoder) verdict(n ast.Node, field string) (string, bool) {
	n = d.resolve(n)
	if s, ok := n.(*ast.StringNode); ok {
		return s.Value, true
	}
	d.errorf(n, field, "expected holds, violated or a rate like {rate: \"<= 0.1%%\"}, got %s", describe(n))
	return "", false
}

func isMapping(n ast.Node) bool {
	switch n.(type) {
	case *ast.MappingNode, *ast.MappingValueNode:
		return true
	}
	return false
}

// rateExample is what a rate expectation looks like, for errors.
const rateExample = `{rate: "<= 0.1%", confidence: 0.95}`

// rate reads a property's rate expectation: {rate: "<= 0.1%", confidence: 0.95}, the
// confidence defaulting to result.DefaultConfidence.
func (d *decoder) rate(n ast.Node, field, prop string) (result.RateBound, bool) {
	rb := result.RateBound{Property: prop, Confidence: result.DefaultConfidence}
	m, ok := d.mapping(n, field)
	if !ok {
		return rb, false
	}
	defer d.done(m, field, "rate", "confidence")
	v, has := m.take("rate")
	c, hasConf := m.take("confidence") // taken first: an error in rate is the only error
	if !has {
		d.errorf(n, join(field, "rate"), "a rate expectation needs rate, like %s", rateExample)
		return rb, false
	}
	rf := join(field, "rate")
	op, text, ok := d.comparison(v, rf, `"<= 0.1%"`, []string{"<=", ">=", "<", ">"})
	if !ok {
		return rb, false
	}
	x, ok := d.fractionText(v, rf, text, `"<= 0.1%"`)
	if !ok {
		return rb, false
	}
	if always, vac := vacuous(op, x); vac {
		what := "met by every rate"
		if !always {
			what = "refuted by every rate"
		}
		hint := `expected a bound strictly between 0% and 100%, like "<= 0.1%"`
		if x == 1 && !strings.HasSuffix(text, "%") {
			hint = fmt.Sprintf("a plain number is a fraction (1 is 100%%); for a percentage write \"%s %s%%\"", op, text)
		}
		d.errorf(v, rf, "\"%s %s\" is %s, so no run can decide it; %s", op, text, what, hint)
		return rb, false
	}
	if (op == "<=" && x == 0) || (op == ">=" && x == 1) {
		instead := `holds (no seed violates it), or a bound above 0%, like "<= 0.1%"`
		if op == ">=" {
			instead = `a bound below 100%, like ">= 99%"`
		}
		d.errorf(v, rf, "\"%s %s\" can never be met: no number of seeds bounds a rate at exactly %s; write %s", op, text, text, instead)
		return rb, false
	}
	rb.Op, rb.Text, rb.Value = op, text, x
	if hasConf {
		cf := join(field, "confidence")
		conf, ok := d.number(c, cf)
		if !ok {
			return rb, false
		}
		if !(conf > 0 && conf < 1) {
			d.errorf(c, cf, "%s is outside (0, 1); expected a confidence like 0.95", d.resolve(c).String())
			return rb, false
		}
		rb.Confidence = conf
	}
	return rb, true
}

// vacuous reports a rate claim that every rate satisfies (<= 100%, >= 0%: always) or
// none does (< 0%, > 100%): no run can decide it, and "<= 1" is most likely 1% without
// its sign.
func vacuous(op string, x float64) (always, vac bool) {
	switch {
	case op == "<=" && x == 1, op == ">=" && x == 0:
		return true, true
	case op == ">" && x == 1, op == "<" && x == 0:
		return false, true
	}
	return false, false
}

// comparison splits a comparison string into its operator (one of ops) and operand.
func (d *decoder) comparison(n ast.Node, field, example string, ops []string) (op, text string, ok bool) {
	n = d.resolve(n)
	s, isString := n.(*ast.StringNode)
	if !isString {
		d.errorf(n, field, "expected a comparison like %s, got %s", example, describe(n))
		return "", "", false
	}
	text = strings.TrimSpace(s.Value)
	for _, o := range comparisons {
		if strings.HasPrefix(text, o) {
			op = o
			text = strings.TrimSpace(text[len(o):])
			break
		}
	}
	if op == "" || !slices.Contains(ops, op) {
		d.errorf(n, field, "%q does not start with a comparison (%s); expected something like %s", s.Value, strings.Join(ops, ", "), example)
		return "", "", false
	}
	return op, text, true
}

// fractionText reads a fraction in [0, 1] from a comparison's operand, written as a
// number (0.02) or a percentage (2%).
func (d *decoder) fractionText(n ast.Node, field, text, example string) (float64, bool) {
	num, percent := strings.CutSuffix(text, "%")
	x, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		d.errorf(n, field, "%q is not a number or a percentage; expected something like %s", text, example)
		return 0, false
	}
	if percent {
		x /= 100
	}
	if x < 0 || x > 1 {
		d.errorf(n, field, "%s is outside [0, 1] (0%% to 100%%); expected a fraction, like %s", text, example)
		return 0, false
	}
	return x, true
}

// percentileBounds reads the percentile form of a metric's bounds: {p99: "<= 2%"}, one
// bound per statistic (result.Percentiles).
func (d *decoder) percentileBounds(n ast.Node, field string, mt Metric) []Bound {
	m, ok := d.mapping(n, field)
	if !ok {
		return nil
	}
	var out []Bound
	for _, k := range m.keys {
		if !slices.Contains(result.Percentiles, k) {
			continue
		}
		m.taken[k] = true
		if b, ok := d.bound(m.value[k], join(field, k), mt); ok {
			b.Percentile = k
			out = append(out, b)
		}
	}
	d.done(m, field, result.Percentiles...)
	if len(m.keys) == 0 {
		d.errorf(n, field, "no bound; expected a comparison like \"<= 0.02\" for the worst seed, or bounds per statistic like {p99: \"<= 0.02\"} (%s)", strings.Join(result.Percentiles, ", "))
	}
	return out
}

func (d *decoder) bound(n ast.Node, field string, mt Metric) (Bound, bool) {
	example := `"<= 0.02"`
	if mt.Duration {
		example = `"<= 15s"`
	}
	op, text, ok := d.comparison(n, field, example, comparisons)
	if !ok {
		return Bound{}, false
	}
	n = d.resolve(n)
	b := Bound{Metric: mt.Key, Op: op, Text: text}
	if mt.Duration {
		dur, err := time.ParseDuration(b.Text)
		if err != nil || dur < 0 || dur > model.MaxDuration {
			d.errorf(n, field, "%q is not a duration in [0, %s]; expected something like %s", b.Text, maxText, example)
			return Bound{}, false
		}
		b.Value = float64(dur)
		return b, true
	}
	// Fractions lie in [0, 1] (written 0.02 or 2%), counts and rates are >= 0: a bound
	// outside can never be met, or always is.
	if strings.HasSuffix(mt.Key, "_fraction") {
		x, ok := d.fractionText(n, field, b.Text, example)
		b.Value = x
		return b, ok
	}
	x, err := strconv.ParseFloat(b.Text, 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		hint := ""
		if strings.HasSuffix(b.Text, "%") {
			hint = " (a percentage applies only to fractions)"
		}
		d.errorf(n, field, "%q is not a number%s; expected something like %s", b.Text, hint, example)
		return Bound{}, false
	}
	if x < 0 {
		d.errorf(n, field, "%s is negative; expected a number >= 0, like %s", b.Text, example)
		return Bound{}, false
	}
	b.Value = x
	return b, true
}
