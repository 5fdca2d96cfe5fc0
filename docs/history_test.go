package docs

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/leasesim/leasesim/history"
	"github.com/leasesim/leasesim/internal/runner"
	"github.com/leasesim/leasesim/scenarios"
	"github.com/leasesim/leasesim/scenarios/catalog"
)

// recordStructs maps each record type to the Go type its fields are decoded into.
var recordStructs = map[string]any{
	history.TypeMeta: history.Meta{}, history.TypeClaim: history.Claim{}, history.TypeWrite: history.Write{},
	history.TypeOp: history.Op{}, history.TypeFault: history.Fault{}, history.TypeStatus: history.Status{},
	history.TypeUp: history.Up{}, history.TypeMsg: history.Msg{}, history.TypeClock: history.ClockPiece{},
}

// readerRecordTypes asks history.Read which record types it knows: the error for an
// unknown type lists them.
func readerRecordTypes(t *testing.T) []string {
	t.Helper()
	_, err := history.Read(strings.NewReader(`{"type":"zz_probe"}`), "probe")
	var pe *history.ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("history.Read accepted an unknown record type (err %v)", err)
	}
	_, list, ok := strings.Cut(pe.Msg, "expected one of")
	if !ok {
		t.Fatalf("the unknown-type error no longer lists the types: %q", pe.Msg)
	}
	var types []string
	for _, m := range regexp.MustCompile(`"([a-z_-]+)"`).FindAllStringSubmatch(list, -1) {
		types = append(types, m[1])
	}
	slices.Sort(types)
	return types
}

// jsonFields returns the JSON names of a struct's fields, the way history.Read matches
// them.
func jsonFields(v any) []string {
	var out []string
	rt := reflect.TypeOf(v)
	for i := range rt.NumField() {
		name, _, _ := strings.Cut(rt.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// TestHistorySchemaMatchesReader: the schema's record types are the reader's, and each
// record's properties are its type's fields plus "type".
func TestHistorySchemaMatchesReader(t *testing.T) {
	s := readJSON(t, historySchema)
	types := readerRecordTypes(t)
	var enum []string
	for _, v := range at(t, s, "properties", "type", "enum").([]any) {
		enum = append(enum, v.(string))
	}
	slices.Sort(enum)
	if !slices.Equal(types, enum) {
		t.Errorf("record types: the reader knows %v, the schema %v", types, enum)
	}
	for _, typ := range types {
		v, ok := recordStructs[typ]
		if !ok {
			t.Errorf("record type %q: no Go type known here; add it to recordStructs", typ)
			continue
		}
		want := append(jsonFields(v), "type")
		slices.Sort(want)
		if got := keysAt(t, s, "$defs", typ, "properties"); !slices.Equal(got, want) {
			t.Errorf("%s record: the reader accepts %v, the schema allows %v", typ, want, got)
		}
	}
}

// validateLines validates every line of a JSON-lines history against the schema.
func validateLines(t *testing.T, sch *jsonschema.Schema, name string, data []byte) map[string]bool {
	t.Helper()
	seen := map[string]bool{}
	for i, line := range bytes.Split(bytes.TrimSpace(data), []byte("\n")) {
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(line))
		if err != nil {
			t.Fatalf("%s:%d: %v", name, i+1, err)
		}
		if err := sch.Validate(inst); err != nil {
			t.Errorf("%s:%d: %#v\n%s", name, i+1, err, line)
		}
		var head struct{ Type string }
		json.Unmarshal(line, &head)
		seen[head.Type] = true
	}
	return seen
}

// TestRealHistoriesValidate: histories the simulator writes — together holding every
// record type — are valid line by line under the schema.
func TestRealHistoriesValidate(t *testing.T) {
	sch := compile(t, historySchema)
	seen := map[string]bool{}
	// Claims, writes, faults and statuses; ops (the etcd client API); up intervals
	// (a crash and restart).
	for _, name := range []string{"lease-cut", "etcd-leader-crash", "heartbeat-leader-crash", "fault-crash-issuer"} {
		b, err := catalog.Read(name + ".yaml")
		if err != nil {
			t.Fatal(err)
		}
		sc, err := scenarios.Parse(b, name)
		if err != nil {
			t.Fatal(err)
		}
		// Messages and clock pieces: recorded on request, as run --out does.
		run, err := runner.RunSeed(sc, sc.Seeds.From, runner.Options{RecordMessages: name == "lease-cut"})
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		if err := run.History.Write(&out); err != nil {
			t.Fatal(err)
		}
		for k := range validateLines(t, sch, name, out.Bytes()) {
			seen[k] = true
		}
	}
	for _, typ := range readerRecordTypes(t) {
		if !seen[typ] {
			t.Errorf("no %s record in the histories checked; add a scenario that has one", typ)
		}
	}
}

// TestHistoryDocExample: the example in history.md is a history the reader accepts and
// the schema validates.
func TestHistoryDocExample(t *testing.T) {
	blocks := fencedJSON(t, "history.md")
	if len(blocks) == 0 {
		t.Fatal("history.md has no json example")
	}
	sch := compile(t, historySchema)
	for _, b := range blocks {
		if _, err := history.Read(strings.NewReader(b), "history.md"); err != nil {
			t.Errorf("history.md example: %v", err)
		}
		validateLines(t, sch, "history.md", []byte(b))
	}
}
