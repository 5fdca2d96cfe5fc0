package leasesimtest

import (
	"flag"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/leasesim/leasesim/model"
	"github.com/leasesim/leasesim/result"
)

// Run checks protocol p in t: one subtest per scenario, one per seed below it
// ("lease-cut/seed=17"), the seeds in parallel. p is registered (model.Register) unless
// it already is. A failing seed reports what went wrong, where its failure bundle is
// (under Out, else t.ArtifactDir() with go test -artifacts, else a directory under
// os.TempDir() named after the test), and
// the go test command that runs it alone; under -short a scenario runs at most
// ShortSeeds seeds, and at most ShortSeeds random schedules run. Bad input (a pattern that matches nothing, a scenario that does not
// fit p) fails t at once.
//
// Run registers p in leasesim's global registry: call it from tests that do not run in
// parallel with another test registering a protocol.
func Run(t *testing.T, p *model.Protocol, opts ...Option) {
	t.Helper()
	c := configure(opts)
	outGiven := c.out != ""
	if !outGiven {
		c.out = defaultOut(t.Name())
	}
	entries, err := prepare(p, c)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		t.Run(e.sc.Name, func(t *testing.T) {
			if e.skip != "" {
				t.Skip(e.skip)
			}
			if testing.Short() && e.random >= ShortSeeds {
				t.Skipf("-short runs %d random schedules", ShortSeeds)
			}
			seeds := e.sc.SeedList()
			if testing.Short() && len(seeds) > ShortSeeds {
				seeds = seeds[:ShortSeeds]
			}
			var (
				mu       sync.Mutex
				outcomes []result.SeedOutcome
			)
			if judgedOverSeeds(e.sc) {
				// Runs after every seed's subtest has finished.
				t.Cleanup(func() {
					slices.SortFunc(outcomes, func(a, b result.SeedOutcome) int { return cmpU64(a.Seed, b.Seed) })
					failed, open := checkOverSeeds(e, outcomes)
					for _, m := range failed {
						t.Error(m)
					}
					for _, m := range open {
						t.Log(m)
					}
				})
			}
			for _, seed := range seeds {
				t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
					t.Parallel()
					replay := ReplayCommand(t.Name())
					sc := *c
					if !outGiven && artifacts() {
						sc.out = t.ArtifactDir()
					}
					f, o, err := checkSeed(e, seed, &sc, replay)
					if err != nil {
						t.Fatal(err)
					}
					if o != nil {
						mu.Lock()
						outcomes = append(outcomes, *o)
						mu.Unlock()
					}
					if f == nil {
						return
					}
					msg := f.Message
					if f.Minimal != nil {
						msg += "\nminimal scenario (shrunk):\n" + indent(string(f.Minimal))
					}
					if f.Bundle != "" {
						msg += "\nfailure bundle: " + f.Bundle
					}
					t.Errorf("%s\nreplay: %s", msg, replay)
				})
			}
		})
	}
}

// artifacts reports whether go test runs with -artifacts: failure bundles then go to
// each seed's t.ArtifactDir(), under go test's output directory.
func artifacts() bool {
	f := flag.Lookup("test.artifacts")
	return f != nil && f.Value.String() == "true"
}

// ReplayCommand returns the go test command that runs the test named name (t.Name():
// "TestMyLock/lease-cut/seed=17") alone, from the package's directory.
func ReplayCommand(name string) string {
	parts := strings.Split(name, "/")
	for i, p := range parts {
		parts[i] = "^" + regexp.QuoteMeta(p) + "$"
	}
	return fmt.Sprintf("go test -run '%s' .", strings.Join(parts, "/"))
}

func cmpU64(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func indent(s string) string {
	return "    " + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n    ")
}
