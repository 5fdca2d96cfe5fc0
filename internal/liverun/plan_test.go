package liverun

import (
	"strings"
	"testing"
	"time"

	"github.com/leasesim/leasesim/internal/modeltest"
	"github.com/leasesim/leasesim/live"
	_ "github.com/leasesim/leasesim/model/all"
)

// TestFromScenario: a scenario gives the trials its holders, plan and name; an etcd one
// is simulated alongside and gives its TTL and length unless the flags set them; one
// whose faults have no live meaning is an error naming the file.
func TestFromScenario(t *testing.T) {
	for _, c := range []struct {
		name          string
		set           Set
		simulated     bool
		ttl, duration time.Duration
		members       int
		err           string
	}{
		{"lease-cut", Set{}, false, 2 * time.Second, 0, 1, ""},
		{"etcd-failover", Set{}, true, 30 * time.Second, 36 * time.Second, 1, ""},
		{"etcd-failover", Set{TTL: true, Duration: true}, true, 2 * time.Second, 0, 1, ""},
		{"etcd-raft-partition-1-2", Set{}, false, 0, 0, 0, "etcd-raft-partition-1-2.yaml: "},
	} {
		sc := modeltest.Catalog(t, c.name)
		cfg := live.Config{TTL: 2 * time.Second, Members: 1}
		sim, err := FromScenario(&cfg, sc, c.name+".yaml", 1, c.set)
		if c.err != "" {
			if err == nil || !strings.HasPrefix(err.Error(), c.err) {
				t.Errorf("%s: error %v, want one starting %q", c.name, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if (sim != nil) != c.simulated || cfg.TTL != c.ttl || cfg.Duration != c.duration || cfg.Members != c.members ||
			cfg.Scenario != sc.Name || len(cfg.Holders) != len(sc.Holders) || len(cfg.Plan.Faults) == 0 {
			t.Errorf("%s %+v: simulated %v, config %+v", c.name, c.set, sim != nil, cfg)
		}
	}
}
