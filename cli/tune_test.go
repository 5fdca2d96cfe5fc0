package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leasesim/leasesim/internal/exit"
)

// TestTuneBadInput: bad flags and an unwritable --out are refused with exit 2 before any
// candidate runs, naming the flag.
func TestTuneBadInput(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--max-drift", "fast"}, "--max-drift"},
		{[]string{"--seeds", "0"}, "--seeds 0"},
		{[]string{"--leases", "1s,-2s"}, "--leases"},
		{[]string{"--target-unavailability", "-0.1"}, "--target-unavailability -0.1: expected a fraction in [0, 1]"},
		{[]string{"--target-unavailability", "2"}, "--target-unavailability 2: expected a fraction in [0, 1]"},
		{[]string{"--max-violation-rate", "0"}, "--max-violation-rate 0: expected a fraction of seeds in (0, 1)"},
		{[]string{"--max-violation-rate", "1"}, "--max-violation-rate 1: expected a fraction of seeds in (0, 1)"},
		{[]string{"--max-violation-rate", "1e-4", "--confidence", "1"}, "--confidence 1: expected a probability in (0, 1)"},
		{[]string{"--max-violation-rate", "1e-4", "--max-seeds", "0"}, "--max-seeds 0: expected at least --seeds (1)"},
		{[]string{"--confidence", "0.99"}, "--confidence: only applies with --max-violation-rate"},
		{[]string{"--max-seeds", "1000"}, "--max-seeds: only applies with --max-violation-rate"},
	}
	if st, err := os.Stat("/proc/self"); err == nil && st.IsDir() {
		cases = append(cases, struct {
			args []string
			want string
		}{[]string{"--out", "/proc"}, "--out /proc: the directory is not writable"})
	}
	for _, c := range cases {
		args := append([]string{"tune", "tune-drift", "--seeds", "1", "--leases", "2s", "--out", t.TempDir()}, c.args...)
		code, _, errOut := leasesim(t, args...)
		if code != exit.BadInput || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, stderr:\n%s\nwant exit %d and %q", c.args, code, errOut, exit.BadInput, c.want)
		}
	}
	if code, _, errOut := leasesim(t, "tune", "heartbeat-cut", "--out", t.TempDir()); code != exit.BadInput || !strings.Contains(errOut, "protocol heartbeat declares no GuardBound") {
		t.Errorf("tune of a heartbeat scenario: exit %d\n%s", code, errOut)
	}
}

// TestTuneRateExitCodes: under --max-violation-rate, tune exits 0 with a candidate
// shown to be under the target (saying over how many seeds), 3 when the cap leaves every
// candidate undecided (saying how many seeds would decide), and 1 when none is eligible.
func TestTuneRateExitCodes(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		// 0 of n seeds: the upper bound 1−0.05^(1/n) is at most 20% from n = 14 on.
		{[]string{"--max-violation-rate", "0.2"}, exit.OK, "0 of 14 seeds violated, rate ≤ 20% at 95%: qualifies"},
		{[]string{"--max-violation-rate", "1e-3", "--max-seeds", "10"}, exit.Undecided, "about 2,995 seeds in all would decide it"},
		{[]string{"--max-violation-rate", "0.2", "--target-unavailability", "1e-9"}, exit.Violated, "no candidate is eligible"},
	} {
		args := append([]string{"tune", "tune-drift", "--seeds", "5", "--leases", "2s", "--out", t.TempDir()}, c.args...)
		code, out, errOut := leasesim(t, args...)
		if code != c.code || !strings.Contains(out, c.want) {
			t.Errorf("%v: exit %d, stdout:\n%s\nstderr:\n%s\nwant exit %d and %q", c.args, code, out, errOut, c.code, c.want)
		}
	}
}

// TestTuneRateRecommendedFile: under a rate target, recommended.yaml states the target
// as rate expectations over the seeds tune ran, and a suite of it meets them.
func TestTuneRateRecommendedFile(t *testing.T) {
	dir := t.TempDir()
	if code, out, errOut := leasesim(t, "tune", "tune-drift", "--seeds", "5", "--leases", "2s", "--out", dir, "--max-violation-rate", "0.2"); code != exit.OK {
		t.Fatalf("tune: exit %d\n%s\n%s", code, out, errOut)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "recommended.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`p1: {rate: "<= 20%", confidence: 0.95}`, `p4: {rate: "<= 20%", confidence: 0.95}`, "count: 14"} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("recommended.yaml lacks %q:\n%s", want, raw)
		}
	}
	code, out, errOut := leasesim(t, "suite", filepath.Join(dir, "recommended.yaml"), "--out", "")
	if code != exit.OK || !strings.Contains(out, "met") {
		t.Errorf("suite of recommended.yaml: exit %d\n%s\n%s", code, out, errOut)
	}
}
