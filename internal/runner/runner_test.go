package runner

import (
	"context"
	"errors"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/leasesim/leasesim/history"
	"github.com/leasesim/leasesim/model"
	"github.com/leasesim/leasesim/scenarios"
	"github.com/leasesim/leasesim/sim"
)

// The runner's tests use a protocol of their own: every holder claims the leader lease
// for one second at a seeded random moment of the first five, so that some seeds
// overlap (P1 violated) and others do not.
func init() {
	model.Register(&model.Protocol{
		Name: "runnertest",
		Doc:  "holders claim once at a random time; overlaps depend on the seed",
		Build: func(s model.Setup) (map[string]func() sim.Node, error) {
			out := map[string]func() sim.Node{}
			for _, n := range s.Issuers {
				out[n] = func() sim.Node { return idle{} }
			}
			for _, n := range s.Holders {
				out[n] = func() sim.Node { return &onceClaimer{} }
			}
			return out, nil
		},
	})
}

// runnerpanic is a protocol with a bug: its holders panic one second into the run, the
// way a model's nil map or out-of-range index would.
func init() {
	model.Register(&model.Protocol{
		Name: "runnerpanic",
		Doc:  "holders panic one second into the run (a test of internal-error handling)",
		Build: func(s model.Setup) (map[string]func() sim.Node, error) {
			out := map[string]func() sim.Node{}
			for _, n := range s.Issuers {
				out[n] = func() sim.Node { return idle{} }
			}
			for _, n := range s.Holders {
				out[n] = func() sim.Node { return panicker{} }
			}
			return out, nil
		},
	})
}

type panicker struct{}

func (panicker) Start(env *sim.Env) { env.After(1e9, sim.Message{Type: msgClaim}) }
func (panicker) Step(*sim.Env, sim.Message) {
	var m map[string]int
	m["boom"]++ // assignment to entry in nil map
}

type onceClaimer struct{}

type idle struct{}

func (idle) Start(*sim.Env)             {}
func (idle) Step(*sim.Env, sim.Message) {}

const msgClaim = sim.MsgUser

func (c *onceClaimer) Start(env *sim.Env) {
	env.After(env.Rand().Int64N(5e9), sim.Message{Type: msgClaim})
}

func (c *onceClaimer) Step(env *sim.Env, m sim.Message) {
	if m.Type == msgClaim {
		env.Claim(history.LeaderLease, uint64(env.ID()), sim.Mono, env.Mono()+1e9)
	}
}

func parse(t *testing.T, text string) *scenarios.Scenario {
	t.Helper()
	sc, err := scenarios.Parse([]byte(text), "t.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

const overlapping = `name: overlapping
protocol: runnertest
holders: 2
duration: 10s
seeds: 40
expect: {p1: violated, max_gap: "<= 10s"}
`

func TestRunJobsIndependentOfWorkers(t *testing.T) {
	scs := []*scenarios.Scenario{parse(t, overlapping)}
	jobs := Jobs(scs)
	if len(jobs) != 40 {
		t.Fatalf("jobs = %d, want 40", len(jobs))
	}
	var results [][]string
	for _, workers := range []int{1, 4} {
		runs, err := RunJobs(context.Background(), scs, jobs, SuiteOptions{Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range runs {
			got = append(got, r.Result.TraceHash+" "+string(r.Result.Verdict))
		}
		results = append(results, got)
	}
	if !reflect.DeepEqual(results[0], results[1]) {
		t.Errorf("results depend on the number of workers")
	}
}

func TestSummarize(t *testing.T) {
	sc := parse(t, overlapping)
	runs, err := RunJobs(context.Background(), []*scenarios.Scenario{sc}, Jobs([]*scenarios.Scenario{sc}), SuiteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	violated := 0
	for _, r := range runs {
		if r.Check.Violated("p1") {
			violated++
		}
	}
	if violated == 0 || violated == len(runs) {
		t.Fatalf("the test protocol should overlap on some seeds only; violated %d/%d", violated, len(runs))
	}
	res := Summarize(sc, "t.yaml", runs)
	if !res.Met {
		t.Errorf("p1: violated and a 10s gap bound should be met: %+v", res.Expectations)
	}
	// The same runs against "p1: holds" fail, naming the first violating seed.
	strict := parse(t, "name: strict\nprotocol: runnertest\nholders: 3\nduration: 10s\nseeds: 40\nexpect: {p1: holds}\n")
	res = Summarize(strict, "t.yaml", runs)
	if res.Met || res.FailingSeed == nil {
		t.Fatalf("p1: holds should fail with a seed: %+v", res)
	}
	for _, r := range runs {
		if r.Check.Violated("p1") {
			if *res.FailingSeed != r.Result.Seed {
				t.Errorf("failing seed %d, want the first violating seed %d", *res.FailingSeed, r.Result.Seed)
			}
			break
		}
	}
}

func TestShard(t *testing.T) {
	jobs := Jobs([]*scenarios.Scenario{parse(t, overlapping)})
	var all []uint64
	for i := 1; i <= 3; i++ {
		for _, j := range Shard(jobs, i, 3) {
			all = append(all, j.Seed)
		}
	}
	sort.Slice(all, func(a, b int) bool { return all[a] < all[b] })
	if len(all) != len(jobs) {
		t.Fatalf("shards hold %d jobs, want %d", len(all), len(jobs))
	}
	for k := range all {
		if all[k] != jobs[k].Seed {
			t.Fatalf("shards are not a partition of the jobs: %v", all)
		}
	}
}

const panicking = `name: panicking
protocol: runnerpanic
holders: 2
duration: 10s
seeds: 3
`

// TestRunSeedCatchesPanics: a panic in a model is returned as an internal error naming
// the scenario and seed, with the panic's stack; the process goes on.
func TestRunSeedCatchesPanics(t *testing.T) {
	run, err := RunSeed(parse(t, panicking), 7, Options{})
	var ie *InternalError
	if !errors.As(err, &ie) {
		t.Fatalf("RunSeed of a panicking model: run %v, err %v; want an *InternalError", run, err)
	}
	if run != nil || ie.Scenario != "panicking" || ie.Seed != 7 || !strings.Contains(ie.Value, "nil map") ||
		!strings.Contains(string(ie.Stack), "panicker") {
		t.Errorf("internal error %+v: want scenario panicking, seed 7, the nil-map panic and a stack through panicker.Step", ie)
	}
	if !strings.HasPrefix(err.Error(), "internal error: panicking seed 7: panic: ") {
		t.Errorf("message %q", err)
	}
}

// TestRunJobsGoesOnAfterAPanic: in a suite, the panicking scenario's seeds are reported
// one by one, and every other job still runs and its scenario still completes.
func TestRunJobsGoesOnAfterAPanic(t *testing.T) {
	scs := []*scenarios.Scenario{parse(t, panicking), parse(t, overlapping)}
	var panicked []uint64
	completed := map[int]int{}
	runs, err := RunJobs(context.Background(), scs, Jobs(scs), SuiteOptions{Workers: 2,
		OnInternalError: func(j Job, ie *InternalError) {
			if j.Scenario != 0 || ie.Seed != j.Seed {
				t.Errorf("internal error for job %+v: %v", j, ie)
			}
			panicked = append(panicked, j.Seed)
		},
		OnScenario: func(i int, runs []*Run) { completed[i] = len(runs) },
	})
	var ie *InternalError
	if !errors.As(err, &ie) || ie.Scenario != "panicking" {
		t.Errorf("RunJobs error %v, want the first internal error", err)
	}
	if len(panicked) != 3 {
		t.Errorf("internal errors for seeds %v, want all 3 seeds", panicked)
	}
	if completed[0] != 0 || completed[1] != 40 {
		t.Errorf("completed scenarios %v: want the panicking one with no runs and all 40 runs of the other", completed)
	}
	for k, r := range runs {
		if (k < 3) != (r == nil) {
			t.Errorf("job %d: run %v", k, r)
		}
	}
}

// TestRunJobsCatchesCallbackPanics: a panic in a caller's callback becomes that job's
// internal error instead of ending the process, and the other jobs still run.
func TestRunJobsCatchesCallbackPanics(t *testing.T) {
	scs := []*scenarios.Scenario{parse(t, overlapping)}
	ran := 0
	runs, err := RunJobs(context.Background(), scs, Jobs(scs), SuiteOptions{Workers: 2,
		OnRun: func(j Job, _ *Run) {
			ran++
			if j.Seed == 5 {
				panic("callback bug")
			}
		}})
	var ie *InternalError
	if !errors.As(err, &ie) || ie.Seed != 5 || ie.Value != "callback bug" {
		t.Errorf("RunJobs error %v, want the callback's panic as seed 5's internal error", err)
	}
	if ran != 40 || len(runs) != 40 {
		t.Errorf("%d callbacks, %d runs; want every job to run", ran, len(runs))
	}
}
