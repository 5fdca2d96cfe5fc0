package scenarios

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/leasesim/leasesim/result"
)

// TestRateAndPercentileExpectations: the mapping forms of a property (a rate) and of a
// metric (percentile bounds) parse to what they say, next to the string forms.
func TestRateAndPercentileExpectations(t *testing.T) {
	const head = "name: x\nprotocol: testproto\nseeds: 40\n"
	for _, tt := range []struct {
		name   string
		expect string
		rates  map[string]result.RateBound
		bounds []result.Bound
		props  map[string]string
	}{
		{"rate with confidence", `{p1: {rate: "<= 0.1%", confidence: 0.99}}`,
			map[string]result.RateBound{"p1": {Property: "p1", Op: "<=", Value: 0.001, Text: "0.1%", Confidence: 0.99}}, nil, map[string]string{}},
		{"rate with the default confidence, as a fraction", `{p2: {rate: ">= 0.01"}}`,
			map[string]result.RateBound{"p2": {Property: "p2", Op: ">=", Value: 0.01, Text: "0.01", Confidence: 0.95}}, nil, map[string]string{}},
		{"rate next to a verdict", `{p1: {rate: "< 5%"}, p3: holds}`,
			map[string]result.RateBound{"p1": {Property: "p1", Op: "<", Value: 0.05, Text: "5%", Confidence: 0.95}}, nil, map[string]string{"p3": "holds"}},
		{"percentiles of a fraction", `{unavailable_fraction: {p99: "<= 2%", p50: "<= 0.005"}}`, nil,
			[]result.Bound{{Metric: "unavailable_fraction", Op: "<=", Value: 0.02, Text: "2%", Percentile: "p99"},
				{Metric: "unavailable_fraction", Op: "<=", Value: 0.005, Text: "0.005", Percentile: "p50"}}, map[string]string{}},
		{"the string form is the worst seed, a percentage allowed", `{unavailable_fraction: "<= 2%"}`, nil,
			[]result.Bound{{Metric: "unavailable_fraction", Op: "<=", Value: 0.02, Text: "2%"}}, map[string]string{}},
		{"max of a duration", `{max_gap: {max: "<= 15s"}}`, nil,
			[]result.Bound{{Metric: "max_gap", Op: "<=", Value: float64(15 * time.Second), Text: "15s", Percentile: "max"}}, map[string]string{}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sc, err := Parse([]byte(head+"expect: "+tt.expect+"\n"), "f.yaml")
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(sc.Expect.Rates, tt.rates) {
				t.Errorf("rates %+v, want %+v", sc.Expect.Rates, tt.rates)
			}
			if !reflect.DeepEqual(sc.Expect.Bounds, tt.bounds) {
				t.Errorf("bounds %+v, want %+v", sc.Expect.Bounds, tt.bounds)
			}
			if !reflect.DeepEqual(sc.Expect.Properties, tt.props) {
				t.Errorf("properties %+v, want %+v", sc.Expect.Properties, tt.props)
			}
			if sc.Expect.Seeds != 40 {
				t.Errorf("Expect.Seeds %d, want the file's 40", sc.Expect.Seeds)
			}
			again, err := Parse(sc.Marshal(), "printed.yaml")
			if err != nil {
				t.Fatalf("printed file does not parse: %v\n%s", err, sc.Marshal())
			}
			if !reflect.DeepEqual(again.Expect, sc.Expect) {
				t.Errorf("printed and parsed again: %+v, want %+v\n%s", again.Expect, sc.Expect, sc.Marshal())
			}
		})
	}
}

// TestRateErrorIsTheOnlyError: a rate expectation with a bad or missing rate and a
// confidence reports the rate, not also the (known) confidence key as unknown.
func TestRateErrorIsTheOnlyError(t *testing.T) {
	const head = "name: x\nprotocol: testproto\n"
	for _, in := range []string{
		`expect: {p1: {confidence: 0.9}}`,
		`expect: {p1: {rate: "<=x", confidence: 0.9}}`,
		`expect: {p1: {rate: "<= 1", confidence: 0.9}}`,
	} {
		_, err := Parse([]byte(head+in+"\n"), "f.yaml")
		if err == nil {
			t.Fatalf("%s: no error", in)
		}
		if msg := err.Error(); strings.Contains(msg, "confidence: unknown key") || strings.Count(msg, "f.yaml:") != 1 {
			t.Errorf("%s: want one error, about the rate:\n%v", in, err)
		}
	}
}

// TestRateAndPercentileErrors: a bad rate or percentile bound is an error naming the
// file, line, column and field, and what is expected.
func TestRateAndPercentileErrors(t *testing.T) {
	const head = "name: x\nprotocol: testproto\n"
	for _, tt := range []struct{ name, in, want string }{
		{"rate without a comparison", `expect: {p1: {rate: "0.1%"}}`, `f.yaml:3:21: expect.p1.rate: "0.1%" does not start with a comparison (<=, >=, <, >); expected something like "<= 0.1%"`},
		{"rate ==", `expect: {p1: {rate: "== 1%"}}`, `expect.p1.rate: "== 1%" does not start with a comparison (<=, >=, <, >)`},
		{"rate not a string", `expect: {p1: {rate: 0.1}}`, `expect.p1.rate: expected a comparison like "<= 0.1%", got the number 0.1`},
		{"rate not a number", `expect: {p1: {rate: "<= lots"}}`, `expect.p1.rate: "lots" is not a number or a percentage`},
		{"rate above 100%", `expect: {p1: {rate: "<= 150%"}}`, `expect.p1.rate: 150% is outside [0, 1] (0% to 100%)`},
		{"rate missing", `expect: {p1: {confidence: 0.9}}`, `f.yaml:3:14: expect.p1.rate: a rate expectation needs rate, like {rate: "<= 0.1%", confidence: 0.95}`},
		{"confidence 1", `expect: {p1: {rate: "<= 1%", confidence: 1}}`, `f.yaml:3:42: expect.p1.confidence: 1 is outside (0, 1); expected a confidence like 0.95`},
		{"confidence 0", `expect: {p1: {rate: "<= 1%", confidence: 0}}`, `expect.p1.confidence: 0 is outside (0, 1)`},
		{"confidence a string", `expect: {p1: {rate: "<= 1%", confidence: high}}`, `expect.p1.confidence: expected a number, got the string "high"`},
		{"unknown key in a rate", `expect: {p1: {rate: "<= 1%", per: run}}`, `f.yaml:3:30: expect.p1.per: unknown key "per" in expect.p1; expected one of: rate, confidence`},
		{"a verdict that is a number", `expect: {p1: 3}`, `expect.p1: expected holds, violated or a rate like {rate: "<= 0.1%"}, got the number 3`},
		{"unknown percentile", `expect: {unavailable_fraction: {p42: "<= 1%"}}`, `f.yaml:3:33: expect.unavailable_fraction.p42: unknown key "p42" in expect.unavailable_fraction; expected one of: p50, p90, p95, p99, min, max`},
		{"percentile without a comparison", `expect: {max_gap: {p99: "15s"}}`, `expect.max_gap.p99: "15s" does not start with a comparison`},
		{"percentage of a count", `expect: {leader_changes: "<= 5%"}`, `expect.leader_changes: "5%" is not a number (a percentage applies only to fractions)`},
		{"no percentile", `expect: {unavailable_fraction: {}}`, `expect.unavailable_fraction: no bound; expected a comparison like "<= 0.02" for the worst seed, or bounds per statistic like {p99: "<= 0.02"} (p50, p90, p95, p99, min, max)`},
		{"a verdict that is nothing", `expect: {p1: }`, `expect.p1: expected holds, violated or a rate like {rate: "<= 0.1%"}, got nothing`},
		{"fraction above 100%", `expect: {unavailable_fraction: {p99: "<= 200%"}}`, `expect.unavailable_fraction.p99: 200% is outside [0, 1] (0% to 100%)`},
		{"rate <= 1 is 100%, not 1%", `expect: {p1: {rate: "<= 1"}}`, `f.yaml:3:21: expect.p1.rate: "<= 1" is met by every rate, so no run can decide it; a plain number is a fraction (1 is 100%); for a percentage write "<= 1%"`},
		{"rate <= 100%", `expect: {p1: {rate: "<= 100%"}}`, `expect.p1.rate: "<= 100%" is met by every rate, so no run can decide it; expected a bound strictly between 0% and 100%`},
		{"rate >= 0%", `expect: {p1: {rate: ">= 0%"}}`, `expect.p1.rate: ">= 0%" is met by every rate`},
		{"rate > 100%", `expect: {p1: {rate: "> 100%"}}`, `expect.p1.rate: "> 100%" is refuted by every rate`},
		{"rate < 0", `expect: {p1: {rate: "< 0"}}`, `expect.p1.rate: "< 0" is refuted by every rate`},
		{"rate <= 0 is holds", `expect: {p1: {rate: "<= 0"}}`, `expect.p1.rate: "<= 0" can never be met: no number of seeds bounds a rate at exactly 0; write holds`},
		{"rate >= 100%", `expect: {p1: {rate: ">= 100%"}}`, `expect.p1.rate: ">= 100%" can never be met`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(head+tt.in+"\n"), "f.yaml")
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error:\n%v\nwant it to contain:\n%s", err, tt.want)
			}
			var e *Error
			if !errors.As(err, &e) || e.File != "f.yaml" || e.Line == 0 {
				t.Errorf("error %v is not an *Error naming the file and line", err)
			}
		})
	}
}
