package etcd_test

import (
	"strings"
	"testing"

	"github.com/leasesim/leasesim/internal/modeltest"
	"github.com/leasesim/leasesim/model/etcd"
	"github.com/leasesim/leasesim/scenarios"
	"github.com/leasesim/leasesim/scenarios/catalog"
)

// TestRaftOwnElectionTimerNeverFires runs every etcd scenario of the catalog and counts
// the elections raft started without raftNode asking (electionWatch sees raft's "starting
// a new election" log line outside raftNode's Campaign call). Raft draws its election
// timeout from crypto/rand, so one such election makes the run unrepeatable: there must
// be none.
func TestRaftOwnElectionTimerNeverFires(t *testing.T) {
	seeds := modeltest.SeedRange(1, modeltest.Seeds(3, 20))
	if modeltest.Race() {
		seeds = seeds[:1]
	}
	ran := 0
	for _, file := range catalog.Names() {
		name := strings.TrimSuffix(file, ".yaml")
		sc := modeltest.Catalog(t, name)
		if sc.Protocol != "etcd" {
			continue
		}
		if modeltest.Race() && len(scenarios.IssuerNames(sc.Issuers)) < 2 {
			// Under -race (ten times slower) only the clusters: a single voter campaigns
			// at once when it starts and then leads, so raft's election timer never runs.
			continue
		}
		ran++
		before := etcd.OwnElections()
		modeltest.Run(t, sc, seeds)
		own := etcd.OwnElections() - before
		if own > 0 {
			t.Errorf("%s: raft started %d elections on its own timer in %d seeds: its timeout comes from crypto/rand, so the runs do not repeat", name, own, len(seeds))
		}
	}
	if ran < 3 {
		t.Fatalf("only %d etcd scenarios run", ran)
	}
}
