package runner

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/leasesim/leasesim/history"
	"github.com/leasesim/leasesim/model"
	"github.com/leasesim/leasesim/scenarios"
	"github.com/leasesim/leasesim/sim"
)

// nondetStarts is the deliberate bug of the "nondettest" protocol: a package-level
// counter that survives from one run to the next, as a model's global cache would.
var nondetStarts atomic.Int64

// nondettest is a protocol whose holders claim the leader lease at a time that depends on
// how many holders this process has started before: the same scenario and seed run twice
// records different claims (and events).
func init() {
	model.Register(&model.Protocol{
		Name: "nondettest",
		Doc:  "holders claim at a time read from a package-level counter (a test of --check-determinism)",
		Build: func(s model.Setup) (map[string]func() sim.Node, error) {
			out := map[string]func() sim.Node{}
			for _, n := range s.Issuers {
				out[n] = func() sim.Node { return idle{} }
			}
			for _, n := range s.Holders {
				out[n] = func() sim.Node { return nondetClaimer{} }
			}
			return out, nil
		},
	})
}

type nondetClaimer struct{}

func (nondetClaimer) Start(env *sim.Env) {
	env.After(1e6*(1+nondetStarts.Add(1)%1000), sim.Message{Type: msgClaim})
}

func (nondetClaimer) Step(env *sim.Env, m sim.Message) {
	if m.Type == msgClaim {
		env.Claim(history.LeaderLease, uint64(env.ID()), sim.Mono, env.Mono()+1e8)
	}
}

const nondet = `name: nondet
protocol: nondettest
holders: 2
duration: 5s
seeds: 3
`

// TestRunSeedTwice: a deterministic protocol runs twice alike; the nondeterministic one
// fails with its first differing event, both versions shown.
func TestRunSeedTwice(t *testing.T) {
	for _, tc := range []struct {
		name, scenario string
		differs        bool
	}{
		{"deterministic", overlapping, false},
		{"package-level counter", nondet, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sc := parse(t, tc.scenario)
			var trace strings.Builder
			run, err := RunSeedTwice(sc, 1, Options{Trace: &trace})
			var nd *NondeterminismError
			if !tc.differs {
				if err != nil || run == nil {
					t.Fatalf("RunSeedTwice = %v, %v; want the run and no error", run, err)
				}
				if trace.Len() == 0 {
					t.Errorf("the caller's Trace got nothing")
				}
				return
			}
			if !errors.As(err, &nd) {
				t.Fatalf("RunSeedTwice error = %v; want a *NondeterminismError", err)
			}
			if nd.What != "event" || nd.Line < 1 || nd.First == nd.Second || nd.First == "" || nd.Second == "" || nd.Digests[0] == nd.Digests[1] {
				t.Errorf("difference %+v: want the first differing event line, both versions, two digests", nd)
			}
			msg := err.Error()
			for _, want := range []string{"nondet seed 1", "first run:  " + nd.First, "second run: " + nd.Second, "bug in leasesim or in the protocol's model"} {
				if !strings.Contains(msg, want) {
					t.Errorf("message lacks %q:\n%s", want, msg)
				}
			}
		})
	}
}

// TestRecheck: the suite's second pass, in reverse order, finds the nondeterministic
// scenario's first seed and names the first differing history record (a claim, not the
// meta record, which differs whenever anything does); a deterministic suite passes.
func TestRecheck(t *testing.T) {
	for _, tc := range []struct {
		name      string
		scenarios []string
		wantSeed  uint64
	}{
		{"deterministic", []string{overlapping}, 0},
		{"one nondeterministic scenario", []string{overlapping, nondet}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var scs []*scenarios.Scenario
			for _, text := range tc.scenarios {
				scs = append(scs, parse(t, text))
			}
			jobs := Jobs(scs)
			rec := NewRecorder()
			opt := SuiteOptions{Workers: 2, OnRun: rec.Record}
			if _, err := RunJobs(context.Background(), scs, jobs, opt); err != nil {
				t.Fatal(err)
			}
			err := Recheck(context.Background(), scs, jobs, opt, rec)
			if tc.wantSeed == 0 {
				if err != nil {
					t.Fatalf("Recheck = %v, want nil", err)
				}
				return
			}
			var nd *NondeterminismError
			if !errors.As(err, &nd) {
				t.Fatalf("Recheck = %v; want a *NondeterminismError", err)
			}
			if nd.Scenario != "nondet" || nd.Seed != tc.wantSeed || nd.What != "history record" || nd.Line < 2 ||
				!strings.HasPrefix(nd.First, `{"type":"claim"`) || !strings.HasPrefix(nd.Second, `{"type":"claim"`) || nd.First == nd.Second {
				t.Errorf("difference %+v: want nondet seed %d's first differing claim", nd, tc.wantSeed)
			}
		})
	}
}

// TestFirstDifference covers the line comparison: equal texts, a changed line, a text
// that ends early, and the meta line compared last.
func TestFirstDifference(t *testing.T) {
	for _, tc := range []struct {
		name     string
		a, b     string
		metaLast bool
		line     int
		x, y     string
	}{
		{"equal", "m\na\nb\n", "m\na\nb\n", true, 0, "", ""},
		{"changed line", "m\na\nb\n", "m\na\nc\n", false, 3, "b", "c"},
		{"second ends early", "m\na\nb\n", "m\na\n", false, 3, "b", ""},
		{"meta first when not metaLast", "m\na\n", "n\nb\n", false, 1, "m", "n"},
		{"meta last", "m\na\n", "n\nb\n", true, 2, "a", "b"},
		{"only meta differs", "m\na\n", "n\na\n", true, 1, "m", "n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			line, x, y, differ := firstDifference([]byte(tc.a), []byte(tc.b), tc.metaLast)
			if line != tc.line || x != tc.x || y != tc.y || differ != (tc.line > 0) {
				t.Errorf("firstDifference = %d %q %q %v; want %d %q %q", line, x, y, differ, tc.line, tc.x, tc.y)
			}
		})
	}
}
