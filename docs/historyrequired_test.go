package docs

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

// readerRequired returns the fields history.Read requires of a record type: those
// whose JSON tags have no omitempty, plus "type".
func readerRequired(v any) []string {
	out := []string{"type"}
	rt := reflect.TypeOf(v)
	for i := range rt.NumField() {
		name, opts, _ := strings.Cut(rt.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" && !strings.Contains(opts, "omitempty") {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// TestHistorySchemaRequiresWhatReaderRequires: each record's "required" list in the
// schema is the fields the reader requires, so that a line the reader refuses for a
// missing field (a status without its issuer) is not valid under the schema either.
func TestHistorySchemaRequiresWhatReaderRequires(t *testing.T) {
	s := readJSON(t, historySchema)
	for _, typ := range readerRecordTypes(t) {
		v, ok := recordStructs[typ]
		if !ok {
			t.Errorf("record type %q: no Go type known here; add it to recordStructs", typ)
			continue
		}
		var got []string
		for _, f := range at(t, s, "$defs", typ, "required").([]any) {
			got = append(got, f.(string))
		}
		slices.Sort(got)
		if want := readerRequired(v); !slices.Equal(got, want) {
			t.Errorf("%s record: the reader requires %q, the schema %q", typ, want, got)
		}
	}
}
