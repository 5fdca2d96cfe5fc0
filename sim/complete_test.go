package sim

import (
	"reflect"
	"testing"

	"github.com/leasesim/leasesim/history"
)

// TestCompleteKeepsCallFields: a completed operation has its call's client, call time and
// method, returns now, keeps each call field (key, value, lease, TTL, expect) unless the
// result has its own, and takes every other field from the result. The operations are
// filled by reflection, every field non-zero, so that a field Op gains later and Complete
// does not copy fails here.
func TestCompleteKeepsCallFields(t *testing.T) {
	fill := func(op *history.Op, salt int) {
		v := reflect.ValueOf(op).Elem()
		for i := 0; i < v.NumField(); i++ {
			switch f := v.Field(i); f.Kind() {
			case reflect.String:
				f.SetString(v.Type().Field(i).Name + string(rune('a'+salt)))
			case reflect.Int64:
				f.SetInt(int64(100*salt + i + 1))
			case reflect.Bool:
				f.SetBool(true)
			default:
				t.Fatalf("Op.%s: a field of kind %s the test cannot fill", v.Type().Field(i).Name, f.Kind())
			}
		}
	}
	kept := map[string]bool{"Key": true, "Value": true, "Lease": true, "TTL": true, "Expect": true}
	for _, tc := range []struct {
		name        string
		resultEmpty bool // the result leaves the call fields zero
	}{{"result has its own call fields", false}, {"result leaves them zero", true}} {
		t.Run(tc.name, func(t *testing.T) {
			s := &Sim{ops: opLog{end: 100}, now: 7}
			env := &Env{s: s, p: &proc{spec: NodeSpec{Name: "A"}}}
			var call, result history.Op
			fill(&call, 1)
			fill(&result, 2)
			rv := reflect.ValueOf(&result).Elem()
			if tc.resultEmpty {
				for name := range kept {
					f := rv.FieldByName(name)
					f.Set(reflect.Zero(f.Type()))
				}
			}
			id := env.Invoke(call)
			s.now = 9
			env.Complete(id, result)
			got := reflect.ValueOf(*s.ops.at(int(id)))
			cv := reflect.ValueOf(call)
			for i := 0; i < got.NumField(); i++ {
				name := got.Type().Field(i).Name
				var want any
				switch {
				case name == "Client":
					want = "A"
				case name == "Call":
					want = int64(7)
				case name == "Return":
					want = int64(9)
				case name == "Method":
					want = cv.Field(i).Interface()
				case kept[name] && tc.resultEmpty:
					want = cv.Field(i).Interface()
				default:
					want = rv.Field(i).Interface()
				}
				if g := got.Field(i).Interface(); g != want {
					t.Errorf("Op.%s = %v, want %v", name, g, want)
				}
			}
		})
	}
}
