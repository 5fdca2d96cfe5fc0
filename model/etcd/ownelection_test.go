package etcd_test

import (
	"strings"
	"testing"

	"github.com/leasesim/leasesim/internal/modeltest"
	"github.com/leasesim/leasesim/model/etcd"
	"github.com/leasesim/leasesim/scenarios"
	"github.com/leasesim/leasesim/scenarios/catalog"
)

// knownOwnElections are the catalog scenarios in which raft's own election timer fires
// today, with why; the test requires that it still does, so that a fix removes them.
var knownOwnElections = map[string]string{
	"etcd-raft-partition-1-2": "a node cut off while a pre-candidate: raft does not reset its election clock on becoming pre-candidate nor on Campaign, so it passes raft's randomized timeout while raftNode's count restarts",
}

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
		why, known := knownOwnElections[name]
		switch {
		case known && own == 0:
			t.Errorf("%s: raft's own election timer no longer fires: remove it from knownOwnElections (%s)", name, why)
		case known:
			t.Logf("%s: raft started %d elections on its own timer (known: %s)", name, own, why)
		case own > 0:
			t.Errorf("%s: raft started %d elections on its own timer in %d seeds: its timeout comes from crypto/rand, so the runs do not repeat", name, own, len(seeds))
		}
	}
	if ran < 3 {
		t.Fatalf("only %d etcd scenarios run", ran)
	}
}
