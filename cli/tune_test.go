package cli

import (
	"os"
	"strings"
	"testing"
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
		if code != exitBadInput || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, stderr:\n%s\nwant exit %d and %q", c.args, code, errOut, exitBadInput, c.want)
		}
	}
	if code, _, errOut := leasesim(t, "tune", "heartbeat-cut", "--out", t.TempDir()); code != exitBadInput || !strings.Contains(errOut, "protocol heartbeat has its own") {
		t.Errorf("tune of a heartbeat scenario: exit %d\n%s", code, errOut)
	}
}
