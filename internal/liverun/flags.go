package liverun

import (
	"time"

	"github.com/leasesim/leasesim/internal/exit"
	"github.com/leasesim/leasesim/live"
)

// Flags are the values of live etcd's flags that configure the trials.
type Flags struct {
	Endpoints []string      // etcd client endpoints (none: an embedded etcd)
	Trials    int           // number of trials, at least 1
	Seed      uint64        // the first trial's seed
	TTL       time.Duration // session TTL
	Duration  time.Duration // length of each trial (0: the scenario's or the plan's)
	Unfenced  bool          // write without fencing
	Members   int           // members of the embedded etcd, 1 to 5
}

// Config checks the flags and returns the trials' configuration, named "live-etcd"
// until a scenario (FromScenario) fills it in. A bad value is bad input (exit 2)
// naming the flag and what is expected.
func (f Flags) Config() (live.Config, error) {
	cfg := live.Config{Endpoints: f.Endpoints, Trials: f.Trials, Seed: f.Seed, TTL: f.TTL,
		Duration: f.Duration, Unfenced: f.Unfenced, Scenario: "live-etcd", Members: f.Members}
	switch {
	case f.Trials < 1:
		return cfg, exit.Bad("--trials %d: expected at least 1", f.Trials)
	case f.Members < 1 || f.Members > 5:
		return cfg, exit.Bad("--members %d: expected 1 to 5", f.Members)
	case f.Members > 1 && len(f.Endpoints) > 0:
		return cfg, exit.Bad("--members %d with --endpoints: expected one or the other (--members sizes the embedded etcd)", f.Members)
	}
	return cfg, nil
}
