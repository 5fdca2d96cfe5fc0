package bench

import (
	"testing"

	_ "github.com/leasesim/leasesim/model/all"
	"github.com/leasesim/leasesim/scenarios"
	"github.com/leasesim/leasesim/scenarios/catalog"
)

// TestRun: timing a short scenario gives positive medians, the run's event and message
// counts, and a speed-up consistent with the time per simulated hour.
func TestRun(t *testing.T) {
	b, err := catalog.Read("lease-cut.yaml")
	if err != nil {
		t.Fatal(err)
	}
	sc, err := scenarios.Parse(b, "lease-cut.yaml")
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(sc, 3)
	if err != nil {
		t.Fatal(err)
	}
	if res.Runs != 3 || res.Scenario != "lease-cut" || res.Events <= 0 || res.Messages <= 0 || res.MedianMsPerHour <= 0 ||
		res.MedianNsEvent <= 0 || res.CheckMs <= 0 || res.GoMaxProcs < 1 {
		t.Errorf("%+v", res)
	}
	if got := res.SpeedUp * res.MedianMsPerHour; got < 3.59e6 || got > 3.61e6 {
		t.Errorf("speed-up %.0f × %.3f ms per hour is not an hour", res.SpeedUp, res.MedianMsPerHour)
	}
	if _, hasCPU := processCPU(); hasCPU != res.CPU || (hasCPU && res.CPUMsRun <= 0) {
		t.Errorf("CPU reported %v, figures %+v", hasCPU, res)
	}
}
