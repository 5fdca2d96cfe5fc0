package fencing_test

import (
	"testing"

	"github.com/leasesim/leasesim/internal/modeltest"
)

func TestCatalogScenarios(t *testing.T) {
	for _, name := range []string{"fencing-pause", "lease-pause-nofence"} {
		t.Run(name, func(t *testing.T) { modeltest.ExpectMet(t, modeltest.Catalog(t, name), catalogSeeds) })
	}
}

// TestRandomFaults: with fencing every property holds under random schedules of every
// fault kind, including the pauses and slow links that break the unfenced lease's P2
// (processing delay 20ms, so that pauses catch writes about to leave).
func TestRandomFaults(t *testing.T) {
	sc := modeltest.RandomFaults(t, "fencing", "{lease: 5s, renew: 1s, guard: 250ms}", nil, 200, "100ms", "processing: {default: 20ms}\n")
	modeltest.NoFindings(t, sc, modeltest.Seeds(2000, 10000))
}

// TestUnfencedBreaksUnderTheSameFaults: the schedules of TestRandomFaults do break P2 for
// the plain lease protocol, so the fencing test above is not vacuous.
func TestUnfencedBreaksUnderTheSameFaults(t *testing.T) {
	sc := modeltest.RandomFaults(t, "lease", "{lease: 5s, renew: 1s, guard: 250ms}", nil, 200, "100ms", "processing: {default: 20ms}\n")
	runs := modeltest.Run(t, sc, modeltest.SeedRange(1, 300))
	for _, r := range runs {
		if r.Check.Violated("p2") {
			return
		}
	}
	t.Error("no seed of 300 violated P2 without fencing; the random fencing test proves nothing")
}

// catalogSeeds is how many seeds each catalog scenario's expectations are checked over
// here (the files themselves run fewer, to keep the suite quick).
const catalogSeeds = 200
