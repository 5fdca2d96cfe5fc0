package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leasesim/leasesim/cli"
)

// TestCLIRunsSeqlock runs leasesim's command line in-process with the seqlock protocols
// registered (this package's init): the correct service meets the scenario's
// expectations, the broken one fails p1 with a failure bundle, tune searches its lease,
// renew and guard around its GuardBound, and list names both.
func TestCLIRunsSeqlock(t *testing.T) {
	for _, c := range []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"correct", []string{"suite", "../../scenarios/cut.yaml", "--seeds", "3"}, 0,
			[]string{"seqlock-cut", "seqlock", "met", "1 scenario: 1 met"}},
		{"broken", []string{"suite", "../../scenarios/cut-broken.yaml", "--seeds", "3"}, 1,
			[]string{"seqlock-broken-cut", "p1:3", "expect p1: holds, got violated by 3/3 seeds", "replay"}},
		{"run broken", []string{"run", "../../scenarios/cut-broken.yaml", "--seed", "2"}, 1,
			[]string{"protocol seqlock-broken", "verdict: VIOLATED", "P1 "}},
		{"tune", []string{"tune", "../../scenarios/cut.yaml", "--seeds", "2", "--leases", "2s"}, 0,
			[]string{"recommended: lease 2s, renew 500ms, guard 400µs", "safety condition: guard >= 400µs (lease × ρ)"}},
		{"list", []string{"list"}, 0, []string{"seqlock (1 issuer)", "seqlock-broken (1 issuer)", "lease (1 issuer)"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := t.TempDir()
			args := c.args
			if args[0] == "suite" || args[0] == "tune" {
				args = append(args, "--out", out)
			}
			var stdout, stderr bytes.Buffer
			code := cli.Execute(append(args, "--quiet"), &stdout, &stderr)
			if code != c.code {
				t.Fatalf("leasesim %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, c.code, &stdout, &stderr)
			}
			for _, w := range c.want {
				if !strings.Contains(stdout.String(), w) {
					t.Errorf("leasesim %s: output lacks %q:\n%s", strings.Join(args, " "), w, &stdout)
				}
			}
			if c.name == "broken" {
				if _, err := os.Stat(filepath.Join(out, "failures", "seqlock-broken-cut", "bundle.json")); err != nil {
					t.Errorf("no failure bundle: %v", err)
				}
			}
		})
	}
}
