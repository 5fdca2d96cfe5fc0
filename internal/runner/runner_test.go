package runner

import (
	"context"
	"reflect"
	"sort"
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

func TestOutcomeHasEveryMetric(t *testing.T) {
	sc := parse(t, overlapping)
	run, err := RunSeed(sc, 1, Options{})
	if err != nil {
		t.Fatal(err)
	}
	o := Outcome(run)
	for _, m := range scenarios.Metrics {
		if _, ok := o.Metrics[m.Key]; !ok {
			t.Errorf("Outcome lacks metric %s, which an expect section may bound", m.Key)
		}
	}
	if o.Violated["p1"] != run.Check.Violated("p1") {
		t.Errorf("Outcome p1 = %v, check says %v", o.Violated["p1"], run.Check.Violated("p1"))
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
