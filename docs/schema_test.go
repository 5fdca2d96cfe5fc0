package docs

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"maps"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/leasesim/leasesim/model"
	_ "github.com/leasesim/leasesim/model/all" // every protocol of the catalog
	"github.com/leasesim/leasesim/result"
	"github.com/leasesim/leasesim/scenarios"
	"github.com/leasesim/leasesim/scenarios/catalog"
)

// The schemas are checked with santhosh-tekuri/jsonschema: a complete JSON Schema
// 2020-12 validator that passes the official JSON-Schema-Test-Suite, with no dependency
// beyond golang.org/x/text; the schemas are meant for editors and CI linters, so they
// are tested with a real validator rather than a subset written here.

var update = flag.Bool("update", false, "rewrite the protocol part of schema/scenario.schema.json from the protocol registry")

const (
	scenarioSchema = "schema/scenario.schema.json"
	historySchema  = "schema/history-record.schema.json"
)

func compile(t *testing.T, path string) *jsonschema.Schema {
	t.Helper()
	sch, err := jsonschema.NewCompiler().Compile(path)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return sch
}

func readJSON(t *testing.T, path string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return m
}

// at walks a decoded JSON document: object keys and array indexes.
func at(t *testing.T, v any, path ...string) any {
	t.Helper()
	for i, p := range path {
		switch x := v.(type) {
		case map[string]any:
			v = x[p]
		case []any:
			n, err := strconv.Atoi(p)
			if err != nil || n >= len(x) {
				t.Fatalf("no %s in the schema", strings.Join(path[:i+1], "/"))
			}
			v = x[n]
		default:
			t.Fatalf("no %s in the schema", strings.Join(path[:i+1], "/"))
		}
		if v == nil {
			t.Fatalf("no %s in the schema", strings.Join(path[:i+1], "/"))
		}
	}
	return v
}

func keysAt(t *testing.T, v any, path ...string) []string {
	t.Helper()
	m, ok := at(t, v, path...).(map[string]any)
	if !ok {
		t.Fatalf("%s is not an object", strings.Join(path, "/"))
	}
	return slices.Sorted(maps.Keys(m))
}

// probeBase is a valid scenario the probes add to.
const probeBase = "name: probe\nprotocol: lease\nholders: [A, B]\nresource: true\n"

// probeKeys asks the parser which keys it accepts at field: it parses a scenario with
// an unknown key zz_probe there and reads the list the error gives ("unknown key ...;
// expected one of: a, b"). The keys come from the parser itself, not from a list here.
func probeKeys(t *testing.T, snippet, field string) []string {
	t.Helper()
	_, err := scenarios.Parse([]byte(probeBase+snippet+"\n"), "probe.yaml")
	var list scenarios.ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("probe %q: the parser accepted zz_probe (err %v)", snippet, err)
	}
	for _, e := range list {
		if e.Field != field || !strings.Contains(e.Msg, `unknown key "zz_probe"`) {
			continue
		}
		_, after, ok := strings.Cut(e.Msg, "expected one of: ")
		if !ok {
			t.Fatalf("probe %q: the unknown-key error no longer lists the accepted keys: %q", snippet, e.Msg)
		}
		keys := strings.Split(after, ", ")
		slices.Sort(keys)
		return keys
	}
	t.Fatalf("probe %q: no unknown-key error at %s; got:\n%v", snippet, field, err)
	return nil
}

// TestScenarioSchemaKeysMatchParser: at every object of a scenario file, the keys the
// schema allows are the keys the parser accepts.
func TestScenarioSchemaKeysMatchParser(t *testing.T) {
	s := readJSON(t, scenarioSchema)
	type probe struct {
		name, snippet, field string
		schema               []string
	}
	probes := []probe{
		{"top level", "zz_probe: 1", "zz_probe", []string{"properties"}},
		{"network", "network: {zz_probe: 1}", "network.zz_probe", []string{"$defs", "network", "properties"}},
		{"network link", "network: {links: [{from: A, to: B, delay: 1ms, zz_probe: 1}]}", "network.links[0].zz_probe",
			[]string{"$defs", "network", "properties", "links", "items", "properties"}},
		{"fixed delay", "network: {delay: {dist: fixed, value: 1ms, zz_probe: 1}}", "network.delay.zz_probe", []string{"$defs", "delay", "oneOf", "1", "properties"}},
		{"uniform delay", "network: {delay: {dist: uniform, min: 1ms, max: 2ms, zz_probe: 1}}", "network.delay.zz_probe", []string{"$defs", "delay", "oneOf", "2", "properties"}},
		{"lognormal delay", "network: {delay: {dist: lognormal, median: 1ms, p99: 2ms, zz_probe: 1}}", "network.delay.zz_probe", []string{"$defs", "delay", "oneOf", "3", "properties"}},
		{"clock", "clocks: {A: {zz_probe: 1}}", "clocks.A.zz_probe", []string{"$defs", "clock", "properties"}},
		{"seeds", "seeds: {count: 1, zz_probe: 1}", "seeds.zz_probe", []string{"$defs", "seeds", "oneOf", "1", "properties"}},
		{"expect", "expect: {zz_probe: 1}", "expect.zz_probe", []string{"$defs", "expect", "properties"}},
		{"fault", "faults: [{zz_probe: 1}]", "faults[0].zz_probe", []string{"$defs", "fault", "properties"}},
	}
	// Every fault kind whose value is an object: its keys too.
	for _, kind := range keysAt(t, s, "$defs", "fault", "properties") {
		ks, _ := at(t, s, "$defs", "fault", "properties", kind).(map[string]any)
		if ks["type"] != "object" {
			continue
		}
		timing := ", at: 1s"
		if kind == "random" {
			timing = ""
		}
		probes = append(probes, probe{"fault " + kind, fmt.Sprintf("faults: [{%s: {zz_probe: 1}%s}]", kind, timing),
			fmt.Sprintf("faults[0].%s.zz_probe", kind), []string{"$defs", "fault", "properties", kind, "properties"}})
	}
	for _, p := range probes {
		t.Run(p.name, func(t *testing.T) {
			parser := probeKeys(t, p.snippet, p.field)
			schema := keysAt(t, s, p.schema...)
			if !slices.Equal(parser, schema) {
				t.Errorf("the parser accepts %v, the schema (%s) allows %v", parser, strings.Join(p.schema, "/"), schema)
			}
		})
	}
	// The fault kinds: exactly one of them per fault.
	var kinds []string
	for _, alt := range at(t, s, "$defs", "fault", "oneOf").([]any) {
		kinds = append(kinds, alt.(map[string]any)["required"].([]any)[0].(string))
	}
	slices.Sort(kinds)
	timing := []string{"at", "for", "restart", "until"}
	var parserKinds []string
	for _, k := range probeKeys(t, "faults: [{zz_probe: 1}]", "faults[0].zz_probe") {
		if !slices.Contains(timing, k) {
			parserKinds = append(parserKinds, k)
		}
	}
	if !slices.Equal(kinds, parserKinds) {
		t.Errorf("fault kinds: the parser has %v, the schema's oneOf %v", parserKinds, kinds)
	}
}

// protocolDefs derives the protocol part of the scenario schema from the registry: the
// protocol names, and per protocol its parameters (types, defaults, meanings), mutants
// and issuer count.
func protocolDefs() (names, rules map[string]any) {
	var enum, allOf []any
	for _, p := range model.Protocols() {
		enum = append(enum, p.Name)
		params := map[string]any{}
		for _, prm := range p.AllParams() {
			ps := map[string]any{"description": prm.Doc}
			switch prm.Kind {
			case model.Duration:
				ps["$ref"], ps["default"] = "#/$defs/nonNegativeDuration", prm.Default
			case model.Bool:
				ps["type"], ps["default"] = "boolean", prm.Default == "true"
			case model.Int:
				n, _ := strconv.Atoi(prm.Default)
				ps["type"], ps["default"] = "integer", n
			case model.Enum:
				var vs []any
				for _, v := range prm.Values {
					vs = append(vs, v)
				}
				ps["enum"], ps["default"] = vs, prm.Default
			}
			params[prm.Name] = ps
		}
		var mutant any = false
		if len(p.Mutants) > 0 {
			var ms []any
			for _, m := range p.Mutants {
				ms = append(ms, m.Name)
			}
			mutant = map[string]any{"enum": ms}
		}
		allOf = append(allOf, map[string]any{
			"if": map[string]any{"properties": map[string]any{"protocol": map[string]any{"const": p.Name}}, "required": []any{"protocol"}},
			"then": map[string]any{"properties": map[string]any{
				"params":  map[string]any{"properties": params, "additionalProperties": false},
				"mutant":  mutant,
				"issuers": map[string]any{"maximum": p.MaxIssuers},
			}},
		})
	}
	return map[string]any{"enum": enum}, map[string]any{"allOf": allOf}
}

// normalize round-trips v through JSON, so that Go values compare with decoded ones.
func normalize(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestScenarioSchemaProtocols: the schema's protocols, parameters and mutants are the
// registry's. go test ./docs -update rewrites them.
func TestScenarioSchemaProtocols(t *testing.T) {
	s := readJSON(t, scenarioSchema)
	names, rules := protocolDefs()
	defs := at(t, s, "$defs").(map[string]any)
	expectProps := defs["expect"].(map[string]any)["properties"].(map[string]any)
	if *update {
		defs["protocolNames"], defs["protocolRules"] = names, rules
		for k, v := range metricDefs() {
			expectProps[k] = v
		}
		defs["percentileBounds"] = percentileBoundsDef()
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(s); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(scenarioSchema, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	for k, want := range metricDefs() {
		if got := expectProps[k]; !reflect.DeepEqual(got, normalize(t, want)) {
			t.Errorf("$defs/expect/properties/%s is %v, result.Metrics says %v (go test ./docs -update)", k, got, want)
		}
	}
	if got, want := defs["percentileBounds"], normalize(t, percentileBoundsDef()); !reflect.DeepEqual(got, want) {
		t.Errorf("$defs/percentileBounds is %v, result.Percentiles says %v (go test ./docs -update)", got, want)
	}
	if got, want := defs["protocolNames"], normalize(t, names); !reflect.DeepEqual(got, want) {
		t.Errorf("$defs/protocolNames is %v, the registry has %v (go test ./docs -update)", got, want)
	}
	got, want := defs["protocolRules"].(map[string]any)["allOf"].([]any), normalize(t, rules).(map[string]any)["allOf"].([]any)
	for i := range max(len(got), len(want)) {
		if i >= len(got) || i >= len(want) || !reflect.DeepEqual(got[i], want[i]) {
			g, _ := json.Marshal(got[min(i, len(got)-1)])
			w, _ := json.Marshal(want[min(i, len(want)-1)])
			t.Errorf("$defs/protocolRules/allOf/%d differs from the registry (go test ./docs -update):\n schema:   %s\n registry: %s", i, g, w)
		}
	}
}

// yamlValue decodes YAML into the generic values a JSON Schema validator takes.
func yamlValue(t *testing.T, b []byte, name string) any {
	t.Helper()
	var v any
	if err := yaml.Unmarshal(b, &v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return v
}

// TestCatalogValidatesAgainstSchema: every built-in scenario is valid under the schema.
func TestCatalogValidatesAgainstSchema(t *testing.T) {
	sch := compile(t, scenarioSchema)
	names := catalog.Names()
	if len(names) == 0 {
		t.Fatal("no built-in scenarios")
	}
	for _, n := range names {
		b, err := catalog.Read(n)
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(yamlValue(t, b, n)); err != nil {
			t.Errorf("%s: %#v", n, err)
		}
	}
}

// rejectBase is a valid scenario (holders A, B, C by default) the twins add to.
const rejectBase = "name: probe\nprotocol: lease\nresource: true\n"

// TestSchemaAndParserRejectTheSame: files that break a rule the schema expresses are
// rejected by both the schema and the parser; their valid twins pass both.
func TestSchemaAndParserRejectTheSame(t *testing.T) {
	sch := compile(t, scenarioSchema)
	for _, tc := range []struct {
		name, valid, invalid string
	}{
		{"unknown top-level key", "", "colour: blue"},
		{"fault with two kinds", "faults: [{crash: A, at: 1s}]", "faults: [{crash: A, pause: B, at: 1s}]"},
		{"pause without an end", "faults: [{pause: A, at: 1s, for: 2s}]", "faults: [{pause: A, at: 1s}]"},
		{"crash with until", "faults: [{crash: A, at: 1s, restart: 2s}]", "faults: [{crash: A, at: 1s, until: 2s}]"},
		{"clock step with an end", "faults: [{clock_step: {node: A, by: -1s}, at: 1s}]", "faults: [{clock_step: {node: A, by: -1s}, at: 1s, for: 1s}]"},
		{"random with at", "faults: [{random: {kinds: [crash], mean_gap: 1s, mean_length: 1s}}]", "faults: [{random: {kinds: [crash], mean_gap: 1s, mean_length: 1s}, at: 1s}]"},
		{"swarm not a bool", "faults: [{random: {kinds: [crash], mean_gap: 1s, mean_length: 1s, swarm: true}}]", "faults: [{random: {kinds: [crash], mean_gap: 1s, mean_length: 1s, swarm: 1}}]"},
		{"swarm with a kind twice", "faults: [{random: {kinds: [crash, crash], mean_gap: 1s, mean_length: 1s}}]", "faults: [{random: {kinds: [crash, crash], mean_gap: 1s, mean_length: 1s, swarm: true}}]"},
		{"another protocol's parameter", "params: {lease: 5s}", "params: {lease_duration: 5s}"},
		{"a parameter of the wrong type", "params: {expiry: timestamp}", "params: {expiry: sometimes}"},
		{"a mutant of another protocol", "mutant: no-guard", "mutant: expire-early"},
		{"a duration without a unit", "duration: 30s", "duration: 30"},
		{"a negative duration", "faults: [{clock_step: {node: A, by: -2s}, at: 1s}]", "duration: -2s"},
		{"a delay distribution missing a field", "network: {delay: {dist: uniform, min: 1ms, max: 2ms}}", "network: {delay: {dist: uniform, min: 1ms}}"},
		{"a property verdict", "expect: {p1: violated}", "expect: {p1: sometimes}"},
		{"a bound without a comparison", `expect: {max_gap: "<= 2s"}`, `expect: {max_gap: "2s"}`},
		{"a rate without a comparison", `expect: {p1: {rate: "<= 0.1%"}}`, `expect: {p1: {rate: "0.1%"}}`},
		{"a rate with an unknown key", `expect: {p1: {rate: ">= 1%", confidence: 0.9}}`, `expect: {p1: {rate: ">= 1%", per: run}}`},
		{"a confidence of 1", `expect: {p2: {rate: "< 0.01", confidence: 0.99}}`, `expect: {p2: {rate: "< 0.01", confidence: 1}}`},
		{"a rate that is ==", `expect: {p1: {rate: "<= 1%"}}`, `expect: {p1: {rate: "== 1%"}}`},
		{"an unknown percentile", `expect: {unavailable_fraction: {p99: "<= 2%"}}`, `expect: {unavailable_fraction: {p42: "<= 2%"}}`},
		{"a reserved holder name", "holders: [A, B]", "holders: [A, R]"},
		{"too many issuers", "", "issuers: 3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			valid := rejectBase + tc.valid + "\n"
			if _, err := scenarios.Parse([]byte(valid), "valid.yaml"); err != nil {
				t.Errorf("the parser rejects the valid twin: %v", err)
			}
			if err := sch.Validate(yamlValue(t, []byte(valid), "valid.yaml")); err != nil {
				t.Errorf("the schema rejects the valid twin: %v", err)
			}
			invalid := rejectBase + tc.invalid + "\n"
			if _, err := scenarios.Parse([]byte(invalid), "invalid.yaml"); err == nil {
				t.Errorf("the parser accepts %q", tc.invalid)
			}
			if err := sch.Validate(yamlValue(t, []byte(invalid), "invalid.yaml")); err == nil {
				t.Errorf("the schema accepts %q", tc.invalid)
			}
		})
	}
}

// fencedJSON returns the contents of the ```json blocks of a Markdown file.
func fencedJSON(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range regexp.MustCompile("(?s)```json\n(.*?)```").FindAllStringSubmatch(string(b), -1) {
		out = append(out, m[1])
	}
	return out
}

// percentileBoundsDef is the schema's entry for the percentile form of a metric bound
// ({p99: "<= 2%"}), from result.Percentiles.
func percentileBoundsDef() map[string]any {
	props := map[string]any{}
	for _, p := range result.Percentiles {
		props[p] = map[string]any{"pattern": `^\s*(<=|<|>=|>|==)\s*\S+\s*$`, "type": "string"}
	}
	return map[string]any{
		"description":          "bounds on statistics over seeds: nearest-rank percentiles p50..p99, min and max",
		"type":                 "object",
		"additionalProperties": false,
		"minProperties":        1,
		"properties":           props,
	}
}

// metricDefs are the schema's entries for the metric expectations, from result.Metrics.
func metricDefs() map[string]any {
	out := map[string]any{}
	comparison := map[string]any{"pattern": `^\s*(<=|<|>=|>|==)\s*\S+\s*$`, "type": "string"}
	for _, m := range result.Metrics {
		form := `a number: "<= 0.02"`
		switch {
		case m.Duration:
			form = `a duration: "<= 15s"`
		case strings.HasSuffix(m.Key, "_fraction"):
			form = `a fraction or percentage: "<= 0.02", "<= 2%"`
		}
		out[m.Key] = map[string]any{
			"description": m.Doc + " (" + form + ", for the worst seed; or per percentile over seeds: {p99: ...})",
			"anyOf":       []any{comparison, map[string]any{"$ref": "#/$defs/percentileBounds"}},
		}
	}
	return out
}
