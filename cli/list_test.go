package cli

import (
	"strings"
	"testing"

	"github.com/leasesim/leasesim/internal/exit"
	"github.com/leasesim/leasesim/reports"
	"github.com/leasesim/leasesim/scenarios"
	"github.com/leasesim/leasesim/scenarios/catalog"
)

// TestListShowsWholeDescriptions: list prints every built-in scenario's description in
// full (only its line breaks move).
func TestListShowsWholeDescriptions(t *testing.T) {
	code, out, errOut := leasesim(t, "list")
	if code != exit.OK {
		t.Fatalf("list exit %d: %s", code, errOut)
	}
	flat := strings.Join(strings.Fields(out), " ")
	names := catalog.Names()
	if !strings.Contains(out, reports.Count(len(names), "scenario")) {
		t.Errorf("list does not count the %d built-in scenarios", len(names))
	}
	for _, n := range names {
		b, err := catalog.Read(n)
		if err != nil {
			t.Fatal(err)
		}
		sc, err := scenarios.Parse(b, n)
		if err != nil {
			t.Fatal(err)
		}
		if d := strings.Join(strings.Fields(sc.Description), " "); !strings.Contains(flat, d) {
			t.Errorf("%s: list lacks the full description %q", n, d)
		}
	}
	if strings.Contains(out, "...\n") {
		t.Error("list still cuts text with ...")
	}
}

func TestListShow(t *testing.T) {
	want, err := catalog.Read("lease-cut.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"lease-cut", "lease-cut.yaml", "builtin:lease-cut.yaml"} {
		code, out, errOut := leasesim(t, "list", "--show", name)
		if code != exit.OK || out != string(want) {
			t.Errorf("list --show %s: exit %d, stderr %q, output differs from the embedded file:\n%s", name, code, errOut, out)
		}
	}
	code, _, errOut := leasesim(t, "list", "--show", "no-such-scenario")
	if code != exit.BadInput || !strings.Contains(errOut, "--show no-such-scenario") || !strings.Contains(errOut, "lease-cut") {
		t.Errorf("unknown name: exit %d, stderr %q; want 2 naming the flag and the scenarios", code, errOut)
	}
}
