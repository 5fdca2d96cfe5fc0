package model

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// The tests of this file kill the mutants of registry.go that the catalog's scenarios and
// the parser's tests let live (docs/mutation.md, "model/registry.go"): each checks one
// behaviour a caller relies on exactly, message text included.

// TestParamLookup: Param finds a protocol's own parameters and the common ones by name,
// and nothing else.
func TestParamLookup(t *testing.T) {
	p := testProtocol()
	tests := []struct {
		name   string
		found  bool
		kind   ParamKind
		def    string
		pacing Pacing
	}{
		{"lease", true, Duration, "10s", NotPeriod},
		{"renew", true, Duration, "1s", LeasePeriod},
		{"n", true, Int, "1", NotPeriod},
		{"mode", true, Enum, "a", NotPeriod},
		{WriteEvery, true, Duration, "100ms", Period},
		{"nope", false, 0, "", NotPeriod},
		{"", false, 0, "", NotPeriod},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prm, ok := p.Param(tt.name)
			if ok != tt.found {
				t.Fatalf("Param(%q) found = %v, want %v (got %+v)", tt.name, ok, tt.found, prm)
			}
			if !ok {
				if prm.Name != "" {
					t.Errorf("Param(%q) not found but returned %+v", tt.name, prm)
				}
				return
			}
			if prm.Name != tt.name || prm.Kind != tt.kind || prm.Default != tt.def || prm.Pacing != tt.pacing {
				t.Errorf("Param(%q) = %s %s default %q pacing %d, want %s %s default %q pacing %d",
					tt.name, prm.Name, prm.Kind, prm.Default, prm.Pacing, tt.name, tt.kind, tt.def, tt.pacing)
			}
		})
	}
}

// TestMutantLookup: Mutant finds a declared mutant by name, and nothing else.
func TestMutantLookup(t *testing.T) {
	p := &Protocol{Name: "t", Mutants: []Mutant{{Name: "one", Breaks: "p1"}, {Name: "two", Breaks: "p2"}}}
	for _, tt := range []struct {
		name, breaks string
		found        bool
	}{
		{"one", "p1", true},
		{"two", "p2", true},
		{"three", "", false},
	} {
		m, ok := p.Mutant(tt.name)
		if ok != tt.found || m.Breaks != tt.breaks || (ok && m.Name != tt.name) {
			t.Errorf("Mutant(%q) = %+v, %v; want breaks %q, found %v", tt.name, m, ok, tt.breaks, tt.found)
		}
	}
}

// registerOnce registers p unless a protocol of its name is registered (by an earlier
// run of the test under -count), and returns the registered one.
func registerOnce(t *testing.T, p *Protocol) *Protocol {
	t.Helper()
	if _, ok := Lookup(p.Name); !ok {
		Register(p)
	}
	got, ok := Lookup(p.Name)
	if !ok {
		t.Fatalf("Lookup(%q) after Register: not found", p.Name)
	}
	return got
}

// TestRegister: an issuer count left 0 means one issuer, a count given is kept; a name
// registered twice panics, naming it.
func TestRegister(t *testing.T) {
	for _, tt := range []struct {
		name       string
		maxIssuers int
		want       int
	}{
		{"registry-test-single", 0, 1},
		{"registry-test-five", 5, 5},
	} {
		p := registerOnce(t, &Protocol{Name: tt.name, MaxIssuers: tt.maxIssuers})
		if p.MaxIssuers != tt.want {
			t.Errorf("%s registered with MaxIssuers %d: got %d, want %d", tt.name, tt.maxIssuers, p.MaxIssuers, tt.want)
		}
	}
	defer func() {
		if r := recover(); r != "model: protocol registered twice: registry-test-five" {
			t.Errorf("registering a name twice: recovered %v", r)
		}
	}()
	Register(&Protocol{Name: "registry-test-five"})
}

// TestProtocolsSorted: Protocols and Names list every registered protocol once, in
// increasing order of name, whatever the order of registration.
func TestProtocolsSorted(t *testing.T) {
	for _, n := range []string{"registry-test-c", "registry-test-a", "registry-test-b"} {
		registerOnce(t, &Protocol{Name: n})
	}
	names := Names()
	ps := Protocols()
	if len(ps) != len(names) || len(ps) != len(registry) {
		t.Fatalf("%d protocols, %d names, %d registered", len(ps), len(names), len(registry))
	}
	for i, p := range ps {
		if names[i] != p.Name {
			t.Errorf("Names()[%d] = %s, Protocols()[%d] = %s", i, names[i], i, p.Name)
		}
		if i > 0 && ps[i-1].Name >= p.Name {
			t.Errorf("not in increasing order: %s before %s (all: %s)", ps[i-1].Name, p.Name, strings.Join(names, ", "))
		}
	}
	i := slices.Index(names, "registry-test-a")
	if i < 0 || i+2 >= len(names) || names[i+1] != "registry-test-b" || names[i+2] != "registry-test-c" {
		t.Errorf("registry-test-a, -b, -c not listed in order: %s", strings.Join(names, ", "))
	}
}

// TestParseValuesMessages: every rejection of ParseValues, as the user reads it
// (ParamError.Error: the parameter, then what is wrong and what is expected), exactly.
func TestParseValuesMessages(t *testing.T) {
	tests := []struct {
		name string
		raw  map[string]string
		want string
	}{
		{"unknown", map[string]string{"leese": "1s"},
			`params.leese: protocol t has no parameter "leese"; it has lease, renew, tick, n, on, mode, write_every`},
		{"not a duration", map[string]string{"lease": "10"},
			`params.lease: "10" is not a duration; expected a Go duration like 500ms or 10s`},
		{"negative", map[string]string{"lease": "-1ns"},
			`params.lease: -1ns is negative; expected a duration >= 0`},
		{"not a bool", map[string]string{"on": "yes"},
			`params.on: "yes" is not a bool; expected true or false`},
		{"not an int", map[string]string{"n": "0x10"},
			`params.n: "0x10" is not an integer`},
		{"not in the enum", map[string]string{"mode": "A"},
			`params.mode: "A" is not one of a, b`},
		{"too long", map[string]string{"lease": "1000h1ns"},
			`params.lease: 1000h0m0.000000001s is too long; expected at most 1000h`},
		{"a period too long", map[string]string{"tick": "1000h0m1s"},
			`params.tick: 1000h0m1s is too long; expected at most 1000h`},
		{"period too short", map[string]string{"tick": "999us"},
			`params.tick: 999µs is the period of a repeating event; expected at least 1ms`},
		{"lease period too short", map[string]string{"lease": "10s", "renew": "9999us"},
			`params.renew: 9.999ms is too short for lease 10s; expected at least lease/1000 = 10ms`},
		{"default lease period too short", map[string]string{"lease": "2000s"},
			`params.renew: 1s is too short for lease 33m20s; expected at least lease/1000 = 2s (1s is the default; set params.renew)`},
		// Keys are checked in sorted order, and bounds in declaration order, so the error
		// named is always the same one.
		{"first bad key in sorted order", map[string]string{"on": "x", "mode": "x", "n": "x"},
			`params.mode: "x" is not one of a, b`},
		{"first bad bound in declaration order", map[string]string{"write_every": "0s", "tick": "0s"},
			`params.tick: 0s is the period of a repeating event; expected at least 1ms`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := testProtocol().ParseValues(tt.raw)
			if err == nil {
				t.Fatalf("accepted: %v", v.Map())
			}
			var pe *ParamError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v is not a ParamError", err)
			}
			if err.Error() != tt.want {
				t.Errorf("got  %s\nwant %s", err, tt.want)
			}
		})
	}
}

// TestParseValuesAccepts: values at the edges of every rule parse, and read back as given
// (defaults where none is given).
func TestParseValuesAccepts(t *testing.T) {
	tests := []struct {
		name  string
		raw   map[string]string
		check map[string]string // parameter -> value as Map returns it
	}{
		{"defaults", nil, map[string]string{"lease": "10s", "renew": "1s", "tick": "100ms", "n": "1", "on": "false", "mode": "a", WriteEvery: "100ms"}},
		{"a length of 0", map[string]string{"lease": "0s"}, map[string]string{"lease": "0s"}},
		{"a length of exactly 1000h", map[string]string{"lease": "1000h", "renew": "1h"}, map[string]string{"lease": "1000h"}},
		{"a period of exactly 1ms", map[string]string{"tick": "1ms", WriteEvery: "1000us"}, map[string]string{"tick": "1ms", WriteEvery: "1000us"}},
		{"a lease period of exactly lease/1000", map[string]string{"lease": "10s", "renew": "10ms"}, map[string]string{"renew": "10ms"}},
		{"a lease period with a lease of 0", map[string]string{"lease": "0s", "renew": "1ms"}, map[string]string{"renew": "1ms"}},
		{"every kind", map[string]string{"n": "-7", "on": "true", "mode": "b"}, map[string]string{"n": "-7", "on": "true", "mode": "b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := testProtocol().ParseValues(tt.raw)
			if err != nil {
				t.Fatalf("rejected: %v", err)
			}
			m := v.Map()
			if len(m) != 7 {
				t.Errorf("Map has %d values, want the 7 parameters: %v", len(m), m)
			}
			for k, want := range tt.check {
				if m[k] != want {
					t.Errorf("%s = %q, want %q", k, m[k], want)
				}
			}
		})
	}
}

// TestLeasePeriodWithoutLease: a protocol without a lease parameter bounds its lease
// periods by MinPeriod only.
func TestLeasePeriodWithoutLease(t *testing.T) {
	p := testProtocol()
	p.LeaseParam = ""
	if _, err := p.ParseValues(map[string]string{"lease": "1000h", "renew": "1ms"}); err != nil {
		t.Errorf("renew 1ms with no lease parameter: %v", err)
	}
	_, err := p.ParseValues(map[string]string{"renew": "999us"})
	if want := "params.renew: 999µs is the period of a repeating event; expected at least 1ms"; err == nil || err.Error() != want {
		t.Errorf("renew 999µs: got %v, want %s", err, want)
	}
}

// TestParseValuesValidate: the protocol's own rule runs only on values that passed every
// kind and bound, sees them with defaults filled in, and its error is returned as it is.
func TestParseValuesValidate(t *testing.T) {
	p := testProtocol()
	ruleErr := &ParamError{Param: "renew", Msg: "renew must be shorter than lease"}
	var seen []string
	p.Validate = func(v Values) error {
		seen = append(seen, fmt.Sprintf("%s/%s", time.Duration(v.Duration("lease")), time.Duration(v.Duration("renew"))))
		if v.Duration("renew") >= v.Duration("lease") {
			return ruleErr
		}
		return nil
	}
	if _, err := p.ParseValues(map[string]string{"lease": "5s"}); err != nil {
		t.Errorf("lease 5s, renew 1s: %v", err)
	}
	if _, err := p.ParseValues(map[string]string{"lease": "1s"}); err != ruleErr {
		t.Errorf("lease 1s, renew 1s: got %v, want the rule's own error", err)
	}
	if _, err := p.ParseValues(map[string]string{"lease": "1s", "tick": "0s"}); err == nil || !strings.HasPrefix(err.Error(), "params.tick:") {
		t.Errorf("tick 0s: got %v, want the bound's error, not the rule's", err)
	}
	if want := []string{"5s/1s", "1s/1s"}; !slices.Equal(seen, want) {
		t.Errorf("Validate saw %v, want %v", seen, want)
	}
}

// TestFmtHours: a whole number of hours is written as such, anything else as Go writes it.
func TestFmtHours(t *testing.T) {
	for _, tt := range []struct {
		d    time.Duration
		want string
	}{
		{MaxDuration, "1000h"},
		{time.Hour, "1h"},
		{2562047 * time.Hour, "2562047h"},
		{90 * time.Minute, "1h30m0s"},
		{time.Hour + 1, "1h0m0.000000001s"},
		{time.Second, "1s"},
	} {
		if got := fmtHours(tt.d); got != tt.want {
			t.Errorf("fmtHours(%d) = %q, want %q", int64(tt.d), got, tt.want)
		}
	}
}

// TestDurations: the duration parameters, in declaration order (common ones last), with
// their values; no other kind.
func TestDurations(t *testing.T) {
	p := testProtocol()
	v, err := p.ParseValues(map[string]string{"tick": "250ms"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, pd := range p.Durations(v) {
		got = append(got, pd.Param.Name+"="+pd.Value.String())
	}
	if want := []string{"lease=10s", "renew=1s", "tick=250ms", "write_every=100ms"}; !slices.Equal(got, want) {
		t.Errorf("Durations = %v, want %v", got, want)
	}
}

// TestValuesAccessors: each accessor reads its own kind, and panics, naming the
// parameter, on an undeclared name or another kind (a programming error in a protocol).
func TestValuesAccessors(t *testing.T) {
	v, err := testProtocol().ParseValues(map[string]string{"lease": "1m30s", "n": "-3", "on": "true", "mode": "b"})
	if err != nil {
		t.Fatal(err)
	}
	if got := v.Duration("lease"); got != int64(90*time.Second) {
		t.Errorf("Duration(lease) = %d", got)
	}
	if got := v.Int("n"); got != -3 {
		t.Errorf("Int(n) = %d", got)
	}
	if !v.Bool("on") {
		t.Errorf("Bool(on) = false")
	}
	if got := v.String("mode"); got != "b" {
		t.Errorf("String(mode) = %q", got)
	}
	m := v.Map()
	m["mode"] = "a"
	if v.String("mode") != "b" {
		t.Errorf("changing Map's result changed the values")
	}
	for _, tt := range []struct {
		name string
		read func()
		want string
	}{
		{"Int of a duration", func() { v.Int("lease") }, `model: parameter "lease" is not a declared int parameter`},
		{"Duration of an int", func() { v.Duration("n") }, `model: parameter "n" is not a declared duration parameter`},
		{"Bool of an enum", func() { v.Bool("mode") }, `model: parameter "mode" is not a declared bool parameter`},
		{"String of a bool", func() { v.String("on") }, `model: parameter "on" is not a declared enum parameter`},
		{"undeclared", func() { v.Duration("nope") }, `model: parameter "nope" is not a declared duration parameter`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if r := recover(); r != tt.want {
					t.Errorf("recovered %v, want %q", r, tt.want)
				}
			}()
			tt.read()
		})
	}
}
