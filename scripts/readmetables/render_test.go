package main

import (
	"strings"
	"testing"

	"github.com/leasesim/leasesim/result"
)

func TestFormats(t *testing.T) {
	for _, c := range []struct {
		name, got, want string
	}{
		{"percent one decimal", percent(0.27137705, 1), "27.1%"},
		{"percent rounds", percent(0.05665356, 1), "5.7%"},
		{"percent two decimals", percent(0.0071391, 2), "0.71%"},
		{"percent zero", percent(0, 1), "0.0%"},
		{"thousands small", thousands(10.01), "10"},
		{"thousands rounds", thousands(69.82), "70"},
		{"thousands comma", thousands(1973.73), "1,974"},
		{"thousands millions", thousands(1234567), "1,234,567"},
		{"thousands exact", thousands(100000), "100,000"},
		{"thousands negative", thousands(-1234), "-1,234"},
		{"seconds", seconds(10038188173), "10.0s"},
		{"seconds rounds", seconds(3352933268), "3.4s"},
	} {
		if c.got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, c.got, c.want)
		}
	}
}

func TestViolations(t *testing.T) {
	for _, c := range []struct {
		name string
		v    map[string]int
		want string
	}{
		{"none", nil, "none"},
		{"zero counts", map[string]int{"p1": 0}, "none"},
		{"one", map[string]int{"p4": 200}, "P4 on 200/200"},
		{"property order", map[string]int{"p4": 2, "p1": 3, "liveness": 1}, "P1 on 3/200, P4 on 2/200, LIVENESS on 1/200"},
		{"unknown kinds last, sorted", map[string]int{"zz": 1, "p2": 5, "aa": 2}, "P2 on 5/200, AA on 2/200, ZZ on 1/200"},
	} {
		m := measured{r: result.ScenarioResult{Seeds: 200, Violations: c.v}}
		if got := violations(m); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

func TestProperty(t *testing.T) {
	for _, c := range []struct {
		name          string
		v             map[string]int
		resource      bool
		kind          string
		needsResource bool
		want          string
	}{
		{"holds", nil, true, "p1", false, "holds"},
		{"violated", map[string]int{"p1": 177}, false, "p1", false, "violated on 177/200"},
		{"other property does not count", map[string]int{"p1": 4}, true, "p2", true, "holds"},
		{"no resource", map[string]int{"p2": 4}, false, "p2", true, "—"},
		{"resource", map[string]int{"p2": 93}, true, "p2", true, "violated on 93/200"},
	} {
		m := measured{r: result.ScenarioResult{Seeds: 200, Violations: c.v}, resource: c.resource}
		if got := property(c.kind, c.needsResource)(m); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

// testTable is a small table over two built-in scenarios.
var testTable = table{
	id: "t", file: "README.md", seeds: 3,
	head: []string{"what", "p50", "violations"},
	rows: []row{
		{"lease-cut", []string{"cut (`lease-cut`)"}},
		{"heartbeat-cut", []string{"heartbeat (`heartbeat-cut`)"}},
	},
	cols: []column{unavailableP50(1), violations},
}

func TestRender(t *testing.T) {
	ms := map[string]measured{
		"lease-cut":     {r: result.ScenarioResult{Seeds: 3, Met: true, UnavailableP50: 0.1234}},
		"heartbeat-cut": {r: result.ScenarioResult{Seeds: 3, Met: true, Violations: map[string]int{"p1": 3}}},
	}
	got, err := render(testTable, ms)
	if err != nil {
		t.Fatal(err)
	}
	want := "Measured with `go run ./cmd/leasesim suite lease-cut heartbeat-cut --seeds 3 --json` (every expectation met):\n\n" +
		"| what | p50 | violations |\n" +
		"|---|---|---|\n" +
		"| cut (`lease-cut`) | 12.3% | none |\n" +
		"| heartbeat (`heartbeat-cut`) | 0.0% | P1 on 3/3 |\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}

	// The note names what was not met and what was undecided.
	ms["lease-cut"] = measured{r: result.ScenarioResult{Seeds: 3, Met: false, Unknown: 2}}
	got, err = render(testTable, ms)
	if err != nil {
		t.Fatal(err)
	}
	if note := "(expectations not met by `lease-cut`; undecided: `lease-cut` on 2):"; !strings.Contains(got, note) {
		t.Errorf("got\n%s\nwant it to contain %s", got, note)
	}

	delete(ms, "heartbeat-cut")
	if _, err := render(testTable, ms); err == nil || !strings.Contains(err.Error(), "no results for scenario heartbeat-cut") {
		t.Errorf("missing results: got error %v", err)
	}
	bad := testTable
	bad.head = bad.head[:2]
	if _, err := render(bad, map[string]measured{"lease-cut": {}, "heartbeat-cut": {}}); err == nil || !strings.Contains(err.Error(), "3 cells for 2 columns") {
		t.Errorf("cells vs columns: got error %v", err)
	}
}
