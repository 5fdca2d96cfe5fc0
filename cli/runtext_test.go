package cli

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/leasesim/leasesim/internal/exit"
)

// TestRunAndCheckText: `run` and `check` print a run's metrics as the suite table
// prints its figures — the unavailable fraction with three decimals of a percent, counts
// with thousands separators — and the same line for the same run; `--json` keeps the
// exact fraction.
func TestRunAndCheckText(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := leasesim(t, "run", "lease-cut", "--seed", "1", "--out", dir)
	if code != exit.OK {
		t.Fatalf("run exit %d\n%s%s", code, out, errOut)
	}
	const want = "unavailable 1.544% (926.451ms total, longest gap 509.514ms), leader changes 1, 2,947 events, 931 messages, issuer 5.7 msg/s\n"
	if !strings.Contains(out, want) {
		t.Errorf("run lacks %q:\n%s", want, out)
	}
	code, checked, errOut := leasesim(t, "check", filepath.Join(dir, "history.jsonl"))
	if code != exit.OK {
		t.Fatalf("check exit %d\n%s%s", code, checked, errOut)
	}
	if !strings.Contains(checked, want) {
		t.Errorf("check lacks %q:\n%s", want, checked)
	}
	_, js, _ := leasesim(t, "run", "lease-cut", "--seed", "1", "--json")
	if !strings.Contains(js, `"unavailable_fraction":0.0154`) || !strings.Contains(js, `"events":2947`) {
		t.Errorf("--json lost the exact figures:\n%s", js)
	}
}
