package modeltest

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/internal/runner"
	_ "github.com/leasesim/leasesim/model/all" // the protocols under test
	"github.com/leasesim/leasesim/scenarios"
	"github.com/leasesim/leasesim/scenarios/catalog"
	"github.com/leasesim/leasesim/stats"
)

// Long reports whether the long sweeps were asked for (LEASESIM_LONG set).
func Long() bool { return os.Getenv("LEASESIM_LONG") != "" }

// Race reports whether the tests were built with -race.
func Race() bool { return raceDetector }

// Seeds returns short when the long sweeps are off and long when they are on. Under the
// race detector the short sweeps run a quarter of their seeds (at least 25, or short if
// less): the detector looks for data races in the parallel runner, which a few seeds
// exercise as well as many, and runs each seed ten times slower. CI runs the long sweeps
// without it.
func Seeds(short, long int) int {
	switch {
	case Long():
		return long
	case raceDetector:
		return max(short/4, min(short, 25))
	}
	return short
}

// Catalog parses a built-in scenario by name ("lease-cut").
func Catalog(t testing.TB, name string) *scenarios.Scenario {
	t.Helper()
	data, err := catalog.Read(name + ".yaml")
	if err != nil {
		t.Fatalf("catalog scenario %s: %v", name, err)
	}
	sc, err := scenarios.Parse(data, catalog.Prefix+name+".yaml")
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// Parse parses a scenario written in a test.
func Parse(t testing.TB, text string) *scenarios.Scenario {
	t.Helper()
	sc, err := scenarios.Parse([]byte(text), t.Name()+".yaml")
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// Run runs the given seeds of sc in parallel and returns the runs in seed order.
func Run(t testing.TB, sc *scenarios.Scenario, seeds []uint64) []*runner.Run {
	t.Helper()
	jobs := make([]runner.Job, len(seeds))
	for i, s := range seeds {
		jobs[i] = runner.Job{Seed: s}
	}
	runs, err := runner.RunJobs(context.Background(), []*scenarios.Scenario{sc}, jobs, runner.SuiteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return runs
}

// SeedRange returns from, from+1, …, from+n-1.
func SeedRange(from uint64, n int) []uint64 {
	out := make([]uint64, n)
	for i := range out {
		out[i] = from + uint64(i)
	}
	return out
}

// ExpectMet runs n seeds of the scenario (its own seeds when n is 0) and fails the test
// for every expectation that is not met, naming the deciding seed.
func ExpectMet(t *testing.T, sc *scenarios.Scenario, n int) {
	t.Helper()
	seeds := sc.SeedList()
	if n > 0 {
		seeds = SeedRange(sc.Seeds.From, n)
	}
	runs := Run(t, sc, seeds)
	res := runner.Summarize(sc, sc.File, runs)
	for _, e := range res.Expectations {
		if !e.Met {
			t.Errorf("%s: expect %s %s: got %s (seed %d; leasesim run %s --seed %d)", sc.Name, e.Key, e.Want, e.Got, e.Seed, sc.File, e.Seed)
		}
	}
}

// NoFindings runs n seeds (from 1) of sc and fails on every finding of the given kinds
// (all kinds when none are given), naming the seed and the command that reproduces it.
func NoFindings(t *testing.T, sc *scenarios.Scenario, n int, kinds ...checker.Kind) {
	t.Helper()
	runs := Run(t, sc, SeedRange(1, n))
	bad := 0
	for _, r := range runs {
		for _, f := range r.Check.Findings {
			if len(kinds) > 0 && !slices.Contains(kinds, f.Kind) {
				continue
			}
			bad++
			if bad <= 5 {
				t.Errorf("%s seed %d: %s %v [%d, %d): %s", sc.Name, r.Result.Seed, f.Kind, f.Holders, f.From, f.To, f.Detail)
			}
		}
		if r.Check.Verdict == checker.Unknown {
			t.Errorf("%s seed %d: a check could not decide", sc.Name, r.Result.Seed)
		}
	}
	if bad > 0 {
		t.Errorf("%s: %d findings over %d seeds", sc.Name, bad, n)
	}
}

// chunk is how many seeds Detect runs in parallel before looking for a detection.
const chunk = 16

// Detection is how a mutant was caught over several trials of a seed budget each.
type Detection struct {
	// SeedsToDetection holds, per trial, how many seeds ran before the first one that
	// violated the property (1 = the first seed), or 0 when the trial's budget ran out.
	SeedsToDetection []int
	Median           float64
	Every            bool // detected in every trial
}

// Detect runs trials of a seed budget each (trial k uses seeds k·10000+1, …) and
// measures how many seeds it takes for a run to violate the property.
func Detect(t testing.TB, sc *scenarios.Scenario, prop checker.Kind, trials, budget int) Detection {
	t.Helper()
	var d Detection
	d.Every = true
	for k := 0; k < trials; k++ {
		// Run in chunks, stopping at the chunk with the first detection.
		found := 0
		for done := 0; done < budget && found == 0; {
			n := min(chunk, budget-done)
			runs := Run(t, sc, SeedRange(uint64(k)*10000+1+uint64(done), n))
			for i, r := range runs {
				if r.Check.Violated(prop) {
					found = done + i + 1
					break
				}
			}
			done += n
		}
		if found == 0 {
			d.Every = false
		}
		d.SeedsToDetection = append(d.SeedsToDetection, found)
	}
	xs := make([]float64, 0, len(d.SeedsToDetection))
	for _, s := range d.SeedsToDetection {
		if s == 0 {
			s = budget + 1 // not found counts as beyond the budget
		}
		xs = append(xs, float64(s))
	}
	d.Median = stats.Median(xs)
	return d
}

// Without returns a copy of sc without its mutant: the correct protocol under the same
// schedule.
func Without(sc *scenarios.Scenario) *scenarios.Scenario {
	c := *sc
	c.Mutant = ""
	c.Name = sc.Name + "-correct"
	return &c
}

// RandomFaults is a scenario of protocol proto with params, all fault kinds drawn at
// random (kinds defaults to every kind), and clock errors within the given bounds.
func RandomFaults(t testing.TB, proto, params string, kinds []string, driftPPM int, offset string, extra string) *scenarios.Scenario {
	t.Helper()
	if len(kinds) == 0 {
		kinds = []string{"partition", "cut", "cut_oneway", "isolate", "crash", "issuer_crash", "pause", "slow", "lossy", "reorder", "clock_step", "drift"}
	}
	text := fmt.Sprintf(`name: random-%s
protocol: %s
holders: [A, B, C]
resource: true
params: %s
network:
  delay: {dist: lognormal, median: 2ms, p99: 40ms}
  loss: 0.01
  duplicate: 0.001
clocks:
  default: {drift_ppm: %d, offset: %s}
faults:
  - random: {from: 0s, until: 3m, kinds: [%s], mean_gap: 10s, mean_length: 6s, max_drift_ppm: %d}
duration: 3m
%s`, proto, proto, params, driftPPM, offset, strings.Join(kinds, ", "), driftPPM, extra)
	sc, err := scenarios.Parse([]byte(text), "random-"+proto+".yaml")
	if err != nil {
		t.Fatal(err)
	}
	return sc
}
