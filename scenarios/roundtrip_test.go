package scenarios

import (
	"flag"
	"os"
	"reflect"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// equalScenarios compares two parsed scenarios on everything a run depends on.
func equalScenarios(t *testing.T, a, b *Scenario) {
	t.Helper()
	ac, bc := *a, *b
	ac.File, bc.File = "", ""
	av, bv := ac.Values.Map(), bc.Values.Map()
	ac.Values = bc.Values
	if !reflect.DeepEqual(av, bv) {
		t.Errorf("parameter values differ:\n%v\n%v", av, bv)
	}
	if !reflect.DeepEqual(ac, bc) {
		t.Errorf("scenarios differ:\n%+v\n%+v", ac, bc)
	}
}

// TestRoundTrip parses a file, prints it, parses the print and compares; the print is
// also a golden file, so that its layout is reviewed.
func TestRoundTrip(t *testing.T) {
	first, err := Parse(readTestdata(t, "full.yaml"), "full.yaml")
	if err != nil {
		t.Fatal(err)
	}
	printed := first.Marshal()
	second, err := Parse(printed, "printed.yaml")
	if err != nil {
		t.Fatalf("the printed scenario does not parse: %v\n%s", err, printed)
	}
	equalScenarios(t, first, second)
	if again := second.Marshal(); string(again) != string(printed) {
		t.Errorf("printing is not stable:\n%s\n---\n%s", printed, again)
	}
	golden := "testdata/full.printed.golden"
	if *update {
		if err := os.WriteFile(golden, printed, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(want) != string(printed) {
		t.Errorf("Marshal output differs from %s (go test -update to accept):\n%s", golden, printed)
	}
}
