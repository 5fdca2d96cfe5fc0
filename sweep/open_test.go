package sweep

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestOpen: opening a directory writes sweep.json (the scenario, its file, the swept
// parameters and the command) beside the manifest; reopening it for the same sweep
// keeps its points, and for another version is refused as bad input.
func TestOpen(t *testing.T) {
	dir := t.TempDir()
	p, err := NewPlan(smallScenario(t, small), smallSets, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, version string
		bad           bool
	}{
		{"new", "v1", false},
		{"same sweep", "v1", false},
		{"other version", "v2", true},
	} {
		store, err := Open(dir, p, c.version, "small.yaml", "leasesim sweep small.yaml --set lease=1s,2s,4s")
		var bi *BadInput
		if c.bad {
			if !errors.As(err, &bi) {
				t.Errorf("%s: err %v, want bad input", c.name, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		store.Close()
		raw, err := os.ReadFile(filepath.Join(dir, MetaName))
		if err != nil {
			t.Fatal(err)
		}
		var m Meta
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatal(err)
		}
		want := Meta{Scenario: "small-sweep", File: "small.yaml", Params: []string{"lease"}, Command: "leasesim sweep small.yaml --set lease=1s,2s,4s"}
		if !reflect.DeepEqual(m, want) {
			t.Errorf("%s: sweep.json %+v, want %+v", c.name, m, want)
		}
		if _, err := os.Stat(filepath.Join(dir, ManifestName)); err != nil {
			t.Errorf("%s: no manifest: %v", c.name, err)
		}
	}
}
