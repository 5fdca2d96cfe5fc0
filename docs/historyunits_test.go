package docs

import (
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// TestHistoryUnits: every integer field of every record has a row in history.md whose
// type column gives its unit — ns (a time, a duration or a clock reading), ppb — or says
// what it is instead: a count, an id, or a number with no unit (a seed, an epoch, a
// revision). A field whose unit a reader has to guess (a TTL: seconds, as etcd's API
// takes it, or ns?) fails here.
func TestHistoryUnits(t *testing.T) {
	raw, err := os.ReadFile("history.md")
	if err != nil {
		t.Fatal(err)
	}
	sections := map[string]string{}
	heading := regexp.MustCompile("(?m)^### `([a-z]+)`")
	locs := heading.FindAllStringSubmatchIndex(string(raw), -1)
	for i, l := range locs {
		end := len(raw)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		sections[string(raw[l[2]:l[3]])] = string(raw[l[1]:end])
	}
	units := []string{"integer ns", "integer ppb", "integer count", "integer id", "no unit"}
	backticked := regexp.MustCompile("`([a-z_]+)`")
	for typ, v := range recordStructs {
		sec, ok := sections[typ]
		if !ok {
			t.Errorf("history.md has no section for the %s record", typ)
			continue
		}
		// field -> its row's type column
		types := map[string]string{}
		for _, line := range strings.Split(sec, "\n") {
			cells := strings.Split(line, "|")
			if len(cells) < 4 || !strings.HasPrefix(line, "|") {
				continue
			}
			for _, m := range backticked.FindAllStringSubmatch(cells[1], -1) {
				types[m[1]] = strings.TrimSpace(cells[2])
			}
		}
		rt := reflect.TypeOf(v)
		for i := range rt.NumField() {
			f := rt.Field(i)
			switch f.Type.Kind() {
			case reflect.Int, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint32, reflect.Uint64:
			default:
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			col, ok := types[name]
			if !ok {
				t.Errorf("history.md, %s: the integer field %s has no row of its own", typ, name)
				continue
			}
			if !hasAny(col, units) {
				t.Errorf("history.md, %s: %s's type %q gives no unit; want one of %q", typ, name, col, units)
			}
		}
	}
}

func hasAny(s string, subs []string) bool {
	for _, x := range subs {
		if strings.Contains(s, x) {
			return true
		}
	}
	return false
}
