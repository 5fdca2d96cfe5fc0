package cli

import (
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/leasesim/leasesim/history"
	"github.com/leasesim/leasesim/internal/exit"
	"github.com/leasesim/leasesim/model"
	"github.com/leasesim/leasesim/sim"
)

// cmdNondetStarts is the bug of the "nondetcmd" protocol: a package-level counter that
// carries over from one run to the next.
var cmdNondetStarts atomic.Int64

func init() {
	model.Register(&model.Protocol{Name: "nondetcmd", Doc: "claims at a time read from a package-level counter (test only)",
		Build: func(s model.Setup) (map[string]func() sim.Node, error) {
			out := map[string]func() sim.Node{}
			for _, n := range s.Issuers {
				out[n] = func() sim.Node { return quietIssuer{} }
			}
			for _, n := range s.Holders {
				out[n] = func() sim.Node { return counterClaimer{} }
			}
			return out, nil
		}})
}

type counterClaimer struct{}

func (counterClaimer) Start(env *sim.Env) {
	env.After(1e6*(1+cmdNondetStarts.Add(1)%1000), sim.Message{Type: sim.MsgUser})
}

func (counterClaimer) Step(env *sim.Env, m sim.Message) {
	env.Claim(history.LeaderLease, uint64(env.ID()), sim.Mono, env.Mono()+5e5) // shorter than the 1ms between holders: no overlap
}

type quietIssuer struct{}

func (quietIssuer) Start(*sim.Env)             {}
func (quietIssuer) Step(*sim.Env, sim.Message) {}

// TestCheckDeterminism: run and suite with --check-determinism exit 0 for a
// deterministic scenario and 4 for a nondeterministic one, showing both versions of the
// first difference.
func TestCheckDeterminism(t *testing.T) {
	dir := t.TempDir()
	bad := writeScenario(t, dir, "nondet", "name: nondet\nprotocol: nondetcmd\nholders: 2\nduration: 5s\nseeds: 2\n")
	for _, tc := range []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"run, deterministic", []string{"run", "lease-cut", "--check-determinism"}, exit.OK, nil},
		{"run, nondeterministic", []string{"run", bad, "--check-determinism"}, exit.Internal,
			[]string{"nondeterminism: nondet seed 1", "the first differing event", "first run:", "second run:"}},
		{"run without the flag", []string{"run", bad}, exit.OK, nil},
		{"suite, deterministic", []string{"suite", "lease-cut", "--seeds", "2", "--out", filepath.Join(dir, "ok"), "--check-determinism"}, exit.OK, nil},
		{"suite, nondeterministic", []string{"suite", "lease-cut", bad, "--out", filepath.Join(dir, "bad"), "--workers", "2", "--check-determinism"}, exit.Internal,
			[]string{"--check-determinism: nondeterminism: nondet seed 1", "the first differing history record", `first run:  {"type":"claim"`, `second run: {"type":"claim"`, "reproduce: leasesim run " + bad + " --seed 1 --check-determinism"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := leasesim(t, tc.args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\n%s\n%s", code, tc.code, stdout, stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
		})
	}
}

// TestLivenessFinding: the never-retries mutant's catalog scenario gets stuck once the
// faults heal: run exits 1 with a liveness finding and nothing else, and the suite meets
// the scenario's expectations (liveness violated, p1-p4 hold).
func TestLivenessFinding(t *testing.T) {
	code, stdout, stderr := leasesim(t, "run", "mutant-lease-never-retries")
	if code != exit.Violated {
		t.Fatalf("run exit %d, want %d\n%s\n%s", code, exit.Violated, stdout, stderr)
	}
	if !strings.Contains(stdout, "LIVENESS  [1m30s, 2m30s) no holder led from 1m30s, when the last fault healed") ||
		strings.Contains(stdout, "\n  P") || !strings.Contains(stdout, "liveness checked") {
		t.Errorf("want one liveness finding and the liveness check's line:\n%s", stdout)
	}
	code, stdout, stderr = leasesim(t, "suite", "mutant-lease-never-retries", "--seeds", "3", "--out", filepath.Join(t.TempDir(), "out"))
	if code != exit.OK || !strings.Contains(stdout, "liveness:3") {
		t.Fatalf("suite exit %d, want 0 with liveness:3\n%s\n%s", code, stdout, stderr)
	}
}
