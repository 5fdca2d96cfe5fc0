package docs

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/leasesim/leasesim/result"
	"github.com/leasesim/leasesim/scenarios"
	"github.com/leasesim/leasesim/sweep"
)

const sweepPointSchema = "schema/sweep-point.schema.json"

// recordFields returns the JSON names of a struct's fields, those of embedded structs
// included, the way encoding/json writes them.
func recordFields(rt reflect.Type) []string {
	var out []string
	for i := range rt.NumField() {
		f := rt.Field(i)
		if f.Anonymous {
			out = append(out, recordFields(f.Type)...)
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name != "" && name != "-" {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// TestSweepPointSchemaMatchesRecord: the schema's properties are the fields of a
// points.jsonl line (sweep.Record), its rate properties those of result.Rate, and
// its rates keys result.RateProperties.
func TestSweepPointSchemaMatchesRecord(t *testing.T) {
	s := readJSON(t, sweepPointSchema)
	if got, want := keysAt(t, s, "properties"), recordFields(reflect.TypeOf(sweep.Record{})); !slices.Equal(got, want) {
		t.Errorf("properties: a points.jsonl line has %v, the schema allows %v", want, got)
	}
	if got, want := keysAt(t, s, "$defs", "rate", "properties"), recordFields(reflect.TypeOf(result.Rate{})); !slices.Equal(got, want) {
		t.Errorf("a rate has %v, the schema allows %v", want, got)
	}
	want := slices.Sorted(slices.Values(result.RateProperties))
	if got := keysAt(t, s, "properties", "rates", "properties"); !slices.Equal(got, want) {
		t.Errorf("rates: the points carry %v, the schema allows %v", want, got)
	}
}

// TestRealSweepPointsValidate: the points.jsonl of a real sweep validates against the
// schema, and a point whose rate lacks a field or has one too many does not.
func TestRealSweepPointsValidate(t *testing.T) {
	sc, err := scenarios.Parse([]byte(`name: schema-sweep
protocol: lease
holders: [A, B]
params: {lease: 2s, renew: 500ms, guard: 100ms}
faults:
  - random: {from: 0s, kinds: [crash, pause], mean_gap: 5s, mean_length: 2s}
duration: 20s
seeds: 3
`), "schema-sweep.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p, err := sweep.NewPlan(sc, []string{"lease=1s,2s", "renew=lease/4"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	store, err := sweep.OpenStore(dir, sweep.NewManifest(p, "test"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := sweep.Run(context.Background(), p, store, sweep.Options{Workers: 1, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if err := store.Finish(p.Swept); err != nil || len(res.Records) != 2 {
		t.Fatalf("%d points, %v", len(res.Records), err)
	}
	data, err := os.ReadFile(filepath.Join(dir, sweep.PointsName))
	if err != nil {
		t.Fatal(err)
	}
	sch := compile(t, sweepPointSchema)
	lines := bytes.Split(bytes.TrimSpace(data), []byte("\n"))
	for i, line := range lines {
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(line))
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(inst); err != nil {
			t.Errorf("points.jsonl:%d: %v\n%s", i+1, err, line)
		}
	}
	var m map[string]any
	if err := json.Unmarshal(lines[0], &m); err != nil {
		t.Fatal(err)
	}
	rate := m["rates"].(map[string]any)["p1"].(map[string]any)
	delete(rate, "upper")
	if err := validate(sch, m); err == nil {
		t.Errorf("a rate without its upper bound validates")
	}
	rate["upper"], rate["two_sided"] = 0.5, true
	if err := validate(sch, m); err == nil {
		t.Errorf("a rate with an unknown field validates")
	}
}

func validate(sch *jsonschema.Schema, v any) error {
	b, _ := json.Marshal(v)
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		return err
	}
	return sch.Validate(inst)
}
