package main

import (
	"testing"

	"github.com/leasesim/leasesim/model"
	"github.com/leasesim/leasesim/scenarios"
	"github.com/leasesim/leasesim/scenarios/catalog"
)

// TestApplySetNamesTheSameBadValue: a sweep point with several bad values is reported
// by the first in name order, not by whichever map order hands out first.
func TestApplySetNamesTheSameBadValue(t *testing.T) {
	data, err := catalog.Read("lease-cut.yaml")
	if err != nil {
		t.Fatal(err)
	}
	sc, err := scenarios.Parse(data, "lease-cut.yaml")
	if err != nil {
		t.Fatal(err)
	}
	proto, ok := model.Lookup(sc.Protocol)
	if !ok {
		t.Fatalf("no protocol %s", sc.Protocol)
	}
	point := map[string]string{"loss": "2", "mean_gap": "-1s", "drift_ppm": "-3"}
	seen := map[string]int{}
	for range 50 {
		_, err := applySet(sc, proto, point)
		if err == nil {
			t.Fatal("applySet accepted bad values")
		}
		seen[err.Error()]++
	}
	if len(seen) != 1 {
		t.Errorf("the same point gave %d different errors in 50 tries: %v", len(seen), seen)
	}
}
