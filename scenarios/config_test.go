package scenarios

import (
	"testing"
	"time"

	"github.com/leasesim/leasesim/sim"
)

func TestConfig(t *testing.T) {
	sc, err := Parse(readTestdata(t, "full.yaml"), "full.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := sc.Config(1234)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Seed != 1234 || cfg.Duration != int64(10*time.Minute) {
		t.Errorf("seed/duration: %d %d", cfg.Seed, cfg.Duration)
	}
	var names []string
	byName := map[string]sim.NodeSpec{}
	for _, n := range cfg.Nodes {
		names = append(names, n.Name)
		byName[n.Name] = n
	}
	if got := len(names); got != 5 || names[0] != "Q" || names[4] != "R" {
		t.Fatalf("nodes = %v, want Q A B C R", names)
	}
	if byName["Q"].Role != sim.RoleIssuer || byName["B"].Role != sim.RoleHolder || byName["R"].Role != sim.RoleResource {
		t.Errorf("roles wrong: %+v", byName)
	}
	// A's own clock entry fixes drift and offset; B draws from the default range.
	if a := byName["A"].Clock; a.DriftPPM != -250 || a.DriftRangePPM != 0 || a.Offset != int64(80*time.Millisecond) || a.OffsetRange != 0 {
		t.Errorf("A clock = %+v", a)
	}
	if b := byName["B"].Clock; b.DriftRangePPM != 100 || b.DriftPPM != 0 {
		t.Errorf("B clock = %+v", b)
	}
	if byName["A"].ProcessingDelay != int64(50*time.Millisecond) || byName["B"].ProcessingDelay != int64(time.Millisecond) {
		t.Errorf("processing delays: A %d B %d", byName["A"].ProcessingDelay, byName["B"].ProcessingDelay)
	}
	if d := cfg.Network.Delay; d.Kind != "lognormal" || d.Median != int64(2*time.Millisecond) || d.P99 != int64(40*time.Millisecond) {
		t.Errorf("delay = %+v", d)
	}
	if len(cfg.Network.Links) != 1 || cfg.Network.Links[0].Delay.Fixed != int64(30*time.Millisecond) {
		t.Errorf("links = %+v", cfg.Network.Links)
	}
	if len(cfg.Faults) != 12 || cfg.Faults[11].Kind != sim.FaultRandom || cfg.Faults[11].Random.MeanGap != int64(time.Minute) {
		t.Errorf("faults = %+v", cfg.Faults)
	}
	if cfg.Meta.Scenario != sc.Name || cfg.Meta.Params["guard"] != "500ms" || cfg.Meta.Lease != "leader" {
		t.Errorf("meta = %+v", cfg.Meta)
	}
	// The config runs: the kernel accepts every fault and node the scenario produced.
	cfg.Duration = int64(3 * time.Minute)
	if _, err := sim.Run(cfg); err != nil {
		t.Fatalf("sim.Run: %v", err)
	}
}
