package redlock_test

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/history"
	"github.com/leasesim/leasesim/internal/modeltest"
	"github.com/leasesim/leasesim/internal/runner"
	"github.com/leasesim/leasesim/model"
	"github.com/leasesim/leasesim/scenarios"
)

// catalogSeeds is how many seeds each catalog scenario's expectations are checked over
// here (the files themselves run 20).
const catalogSeeds = 100

// TestCatalogScenarios: each side of the Redlock debate, as the catalog files expect it.
func TestCatalogScenarios(t *testing.T) {
	for _, name := range []string{"redlock-clock-step", "redlock-clock-step-fenced", "redlock-clock-slew",
		"redlock-drift-outside", "redlock-pause-nofence", "redlock-pause-fenced"} {
		t.Run(name, func(t *testing.T) {
			modeltest.ExpectMet(t, modeltest.Catalog(t, name), modeltest.Seeds(catalogSeeds, 1000))
		})
	}
}

// randomKinds are every fault kind but clock steps: antirez's condition is that issuers
// never step their clocks.
var randomKinds = []string{"partition", "cut", "cut_oneway", "isolate", "crash", "issuer_crash", "pause", "slow", "lossy", "reorder", "drift"}

// TestRandomFaultsKeepP1: under random schedules of every fault kind but clock steps, with
// clocks within ±2000 ppm (random drift changes too) — inside the 1% allowance — no two
// holders hold the lock at once, with three and with five issuers.
func TestRandomFaultsKeepP1(t *testing.T) {
	for _, issuers := range []string{"3", "5"} {
		t.Run(issuers, func(t *testing.T) {
			sc := modeltest.RandomFaults(t, "redlock", "{ttl: 5s, renew: 1s, retry_delay: 20ms}", randomKinds, 2000, "100ms", "issuers: "+issuers+"\n")
			modeltest.NoFindings(t, sc, modeltest.Seeds(300, 3000), checker.P1)
		})
	}
}

// TestRandomFaultsFencedKeepP2: with fencing no stale write is accepted under random
// schedules of every fault kind, clock steps included (which break P1), with processing
// delays that let pauses catch writes about to leave.
func TestRandomFaultsFencedKeepP2(t *testing.T) {
	sc := modeltest.RandomFaults(t, "redlock", "{ttl: 5s, renew: 1s, retry_delay: 20ms, timeout: 200ms, fenced: true}", nil, 2000, "100ms", "issuers: 3\nprocessing: {default: 20ms}\n")
	modeltest.NoFindings(t, sc, modeltest.Seeds(300, 3000), checker.P2)
}

// TestUnfencedBreaksP2UnderTheSameFaults: the schedules of the fenced test do break P2
// without fencing, so that test is not vacuous.
func TestUnfencedBreaksP2UnderTheSameFaults(t *testing.T) {
	sc := modeltest.RandomFaults(t, "redlock", "{ttl: 5s, renew: 1s, retry_delay: 20ms, timeout: 200ms}", nil, 2000, "100ms", "issuers: 3\nprocessing: {default: 20ms}\n")
	for _, r := range modeltest.Run(t, sc, modeltest.SeedRange(1, 200)) {
		if r.Check.Violated("p2") {
			return
		}
	}
	t.Error("no seed of 200 violated P2 without fencing; the fenced random test proves nothing")
}

// TestParamValidation: bad parameters are errors naming the parameter.
func TestParamValidation(t *testing.T) {
	p, ok := model.Lookup("redlock")
	if !ok {
		t.Fatal("redlock is not registered")
	}
	for _, tt := range []struct {
		name  string
		raw   map[string]string
		param string
	}{
		{"ttl below 1ms", map[string]string{"ttl": "500us"}, "ttl"},
		{"ttl above 1000h", map[string]string{"ttl": "1001h"}, "ttl"},
		{"renew zero", map[string]string{"renew": "0s"}, "renew"},
		{"retry_delay zero", map[string]string{"retry_delay": "0s"}, "retry_delay"},
		{"timeout beyond validity", map[string]string{"ttl": "1s", "timeout": "990ms"}, "timeout"},
		{"renew beyond validity", map[string]string{"ttl": "1s", "renew": "990ms"}, "renew"},
		{"drift factor out of range", map[string]string{"drift_ppm": "1000000"}, "drift_ppm"},
		{"allowance eats the ttl", map[string]string{"ttl": "10ms", "drift_min": "10ms", "renew": "1ms", "timeout": "1ms"}, "drift_min"},
		{"write_every zero", map[string]string{"write_every": "0s"}, "write_every"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := p.ParseValues(tt.raw)
			pe, ok := err.(*model.ParamError)
			if !ok || pe.Param != tt.param {
				t.Fatalf("ParseValues(%v) = %v, want an error on %s", tt.raw, err, tt.param)
			}
		})
	}
	if _, err := p.ParseValues(nil); err != nil {
		t.Fatalf("the defaults are invalid: %v", err)
	}
}

// TestTokensGrowInLockOrder: tokens grow in the order locks are used. Under random
// schedules without clock steps or pauses (so that P1 holds and every write leaves
// during its writer's lock), the tokens of all writes, in the order they were sent, never
// go down, with three and five issuers. Tokens taken as the largest grant counter of a
// majority without the commit round do go down here: the earlier lock's largest counter
// can come from an issuer the later lock's majority does not include.
func TestTokensGrowInLockOrder(t *testing.T) {
	kinds := []string{"partition", "cut", "cut_oneway", "isolate", "crash", "issuer_crash", "slow", "lossy", "reorder", "drift"}
	for _, issuers := range []string{"3", "5"} {
		t.Run(issuers, func(t *testing.T) {
			sc := modeltest.RandomFaults(t, "redlock", "{ttl: 2s, renew: 500ms, retry_delay: 20ms, fenced: true}", kinds, 2000, "100ms", "issuers: "+issuers+"\n")
			var bad []string
			jobs := make([]runner.Job, modeltest.Seeds(100, 2000))
			for i := range jobs {
				jobs[i] = runner.Job{Seed: uint64(i + 1)}
			}
			_, err := runner.RunJobs(context.Background(), []*scenarios.Scenario{sc}, jobs, runner.SuiteOptions{OnRun: func(_ runner.Job, r *runner.Run) {
				if r.Check.Violated("p1") {
					bad = append(bad, fmt.Sprintf("seed %d: P1 violated; the test needs locks that do not overlap", r.Result.Seed))
					return
				}
				ws := slices.Clone(r.History.Writes)
				slices.SortStableFunc(ws, func(a, b history.Write) int { return cmp.Compare(a.Sent, b.Sent) })
				for i := 1; i < len(ws); i++ {
					if ws[i].Token < ws[i-1].Token {
						bad = append(bad, fmt.Sprintf("seed %d: %s wrote with token %d at %d, after %s wrote with token %d at %d", r.Result.Seed,
							ws[i].Writer, ws[i].Token, ws[i].Sent, ws[i-1].Writer, ws[i-1].Token, ws[i-1].Sent))
						return
					}
				}
			}})
			if err != nil {
				t.Fatal(err)
			}
			slices.Sort(bad)
			for i, b := range bad {
				if i < 5 {
					t.Error(b)
				}
			}
			if len(bad) > 0 {
				t.Errorf("%d of %d seeds failed", len(bad), len(jobs))
			}
		})
	}
}
