package load

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/leasesim/leasesim/model/all"
	"github.com/leasesim/leasesim/scenarios/catalog"
)

func TestScenario(t *testing.T) {
	dir := t.TempDir()
	own := filepath.Join(dir, "own.yaml")
	b, _ := catalog.Read("lease-cut.yaml")
	os.WriteFile(own, []byte(strings.Replace(string(b), "name: lease-cut", "name: own", 1)), 0o644)
	for _, c := range []struct {
		arg, name, file, err string
	}{
		{own, "own", own, ""},
		{"lease-cut", "lease-cut", "builtin:lease-cut.yaml", ""},
		{"lease-cut.yaml", "lease-cut", "builtin:lease-cut.yaml", ""},
		{"builtin:lease-cut.yaml", "lease-cut", "builtin:lease-cut.yaml", ""},
		{"no-such", "", "", "no-such: no such file, and no built-in scenario of that name"},
	} {
		s, err := Scenario(c.arg)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s: error %v, want %q", c.arg, err, c.err)
			}
			continue
		}
		if err != nil || s.Scenario.Name != c.name || s.File != c.file || len(s.Data) == 0 {
			t.Errorf("%s: %v %+v", c.arg, err, s)
		}
	}
}

// TestPaths: a directory gives its scenario files in name order and nothing else; a bad
// file is reported with the others loaded; no path is the whole catalog.
func TestPaths(t *testing.T) {
	dir := t.TempDir()
	b, _ := catalog.Read("lease-cut.yaml")
	for _, n := range []string{"b", "a"} {
		os.WriteFile(filepath.Join(dir, n+".yaml"), []byte(strings.Replace(string(b), "name: lease-cut", "name: "+n, 1)), 0o644)
	}
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("not a scenario"), 0o644)
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(bad, []byte("name: bad\nprotocol: lease\nholders: [A]\nnope: 1\n"), 0o644)
	got, errs := Paths([]string{dir, bad})
	if len(got) != 2 || got[0].Scenario.Name != "a" || got[1].Scenario.Name != "b" {
		t.Errorf("directory: %d scenarios", len(got))
	}
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "bad.yaml") {
		t.Errorf("errors %v, want one naming bad.yaml", errs)
	}
	all, errs := Paths(nil)
	if len(errs) != 0 || len(all) != len(catalog.Names()) {
		t.Errorf("no paths: %d scenarios, %v; want the %d of the catalog", len(all), errs, len(catalog.Names()))
	}
}
