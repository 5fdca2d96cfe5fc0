package liverun

import (
	"fmt"
	"time"

	"github.com/leasesim/leasesim/live"
	"github.com/leasesim/leasesim/scenarios"
)

// Set says which of the live flags the user gave: a flag given wins over the scenario.
type Set struct {
	Members, TTL, Duration bool
}

// FromScenario fills in cfg from the scenario sc (read from file) for trials from seed:
// its holders, its faults as a live plan and its name, and with several issuers as
// many etcd members unless set.Members or cfg.Endpoints. When sc is an etcd scenario it
// returns sc, to be simulated alongside the trials, and takes its TTL and length unless
// the flags set them; otherwise nil. Every error is the scenario's (bad input).
func FromScenario(cfg *live.Config, sc *scenarios.Scenario, file string, seed uint64, set Set) (*scenarios.Scenario, error) {
	simCfg, err := sc.Config(seed)
	if err != nil {
		return nil, err
	}
	if sc.Issuers > 1 && !set.Members && len(cfg.Endpoints) == 0 {
		cfg.Members = sc.Issuers // a crash of Qi stops member Qi
	}
	plan, err := live.PlanFromSimMembers(simCfg.Faults, sc.Holders, cfg.Members)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	cfg.Plan, cfg.Holders, cfg.Scenario = plan, sc.Holders, sc.Name
	if sc.Protocol != "etcd" {
		return nil, nil
	}
	if !set.TTL {
		cfg.TTL = time.Duration(sc.Values.Duration("ttl"))
	}
	if !set.Duration {
		cfg.Duration = sc.Duration
	}
	return sc, nil
}
