package catalog_test

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/leasesim/leasesim/history"
	_ "github.com/leasesim/leasesim/model/all"
	"github.com/leasesim/leasesim/scenarios"
	"github.com/leasesim/leasesim/scenarios/catalog"
	"github.com/leasesim/leasesim/sim"
)

// TestCatalogParses checks every built-in scenario: it parses, its name is its file
// name, it says what it expects, and it builds a run.
func TestCatalogParses(t *testing.T) {
	names := catalog.Names()
	if len(names) == 0 {
		t.Fatal("the catalog is empty")
	}
	for _, n := range names {
		data, err := catalog.Read(n)
		if err != nil {
			t.Fatal(err)
		}
		sc, err := scenarios.Parse(data, catalog.Prefix+n)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		if sc.Name+".yaml" != n {
			t.Errorf("%s: name %q does not match its file name", n, sc.Name)
		}
		if len(sc.Expect.Properties) == 0 && len(sc.Expect.Bounds) == 0 {
			t.Errorf("%s: a built-in scenario must say what it expects", n)
		}
		if strings.TrimSpace(sc.Description) == "" {
			t.Errorf("%s: a built-in scenario needs a description", n)
		}
		if _, err := sc.Config(sc.Seeds.From); err != nil {
			t.Errorf("%s: %v", n, err)
		}
	}
}

func TestReadWithPrefix(t *testing.T) {
	n := catalog.Names()[0]
	a, err1 := catalog.Read(n)
	b, err2 := catalog.Read(catalog.Prefix + n)
	if err1 != nil || err2 != nil || string(a) != string(b) {
		t.Errorf("Read(%q) and Read(%q) differ: %v %v", n, catalog.Prefix+n, err1, err2)
	}
	if _, err := catalog.Read("no-such-scenario.yaml"); err == nil {
		t.Error("reading a missing scenario succeeded")
	}
}

// TestCatalogHistoriesReadBack: the history of every built-in scenario's first seed
// follows the rules `check` enforces (history.Read), so that a run's own history.jsonl
// is never rejected, and reads back equal.
func TestCatalogHistoriesReadBack(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the catalog")
	}
	for _, n := range catalog.Names() {
		data, err := catalog.Read(n)
		if err != nil {
			t.Fatal(err)
		}
		sc, err := scenarios.Parse(data, catalog.Prefix+n)
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := sc.Config(sc.Seeds.From)
		if err != nil {
			t.Fatal(err)
		}
		h, err := sim.Run(cfg)
		if err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		if err := h.Validate(); err != nil {
			t.Errorf("%s seed %d: %v", n, sc.Seeds.From, err)
			continue
		}
		var b bytes.Buffer
		if err := h.Write(&b); err != nil {
			t.Fatal(err)
		}
		got, err := history.Read(&b, n)
		if err != nil {
			t.Errorf("%s seed %d: %v", n, sc.Seeds.From, err)
			continue
		}
		if got.Meta.TraceHash != h.Meta.TraceHash || len(got.Claims) != len(h.Claims) || !reflect.DeepEqual(got.Statuses, h.Statuses) {
			t.Errorf("%s: the history does not read back equal", n)
		}
	}
}
