package etcd_test

import (
	"testing"

	"github.com/leasesim/leasesim/internal/modeltest"
	"github.com/leasesim/leasesim/model/etcd"
	"github.com/leasesim/leasesim/scenarios"
	"github.com/leasesim/leasesim/sim"
)

// recordRaftRun records the calls into raft of the first seed of the catalog's
// etcd-raft-leader-crash and returns them with the run's event count.
func recordRaftRun(tb testing.TB) (*etcd.RaftRecording, int64) {
	tb.Helper()
	return recordRun(tb, modeltest.Catalog(tb, "etcd-raft-leader-crash"))
}

// recordRun records the calls into raft of sc's first seed.
func recordRun(tb testing.TB, sc *scenarios.Scenario) (*etcd.RaftRecording, int64) {
	tb.Helper()
	var events int64
	rec, err := etcd.RecordRaft(func() error {
		cfg, err := sc.Config(sc.Seeds.From)
		if err != nil {
			return err
		}
		run, err := sim.Run(cfg)
		if err != nil {
			return err
		}
		events = run.Meta.Events
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return rec, events
}

// duplicatingRaft is a raft issuer on a network that delivers 5% of the messages twice
// and reorders them, with a partition: a Step may be given the same message twice, and
// messages of a past term.
const duplicatingRaft = `
name: raft-duplicating
protocol: etcd
issuers: 3
holders: [A, B]
params: {ttl: 3s, keepalive: 1s}
network:
  delay: {dist: lognormal, median: 2ms, p99: 40ms}
  loss: 0.01
  duplicate: 0.05
faults:
  - {at: 0s, reorder: {window: 50ms}, until: 30s}
  - {at: 10s, isolate: Q1, until: 15s}
  - {at: 20s, crash: Q2, restart: 25s}
duration: 30s
seeds: 1
`

// TestRaftReplayIsFaithful: replaying a run's calls into raft against fresh raft nodes,
// with no simulator, makes the Readies the run made (BenchmarkRaftFloor measures that
// replay of etcd-raft-leader-crash; also with a partition, and on a network that
// duplicates and reorders messages, with a crash), no Tick the driver takes to make no
// Ready (a non-leader's) makes one, so that raftNode.process rightly skips HasReady after
// it, and a replay that misses one Step, ReadIndex or Propose is seen to differ.
func TestRaftReplayIsFaithful(t *testing.T) {
	for _, sc := range []*scenarios.Scenario{
		modeltest.Catalog(t, "etcd-raft-leader-crash"),
		modeltest.Catalog(t, "etcd-raft-partition-1-2"),
		modeltest.Parse(t, duplicatingRaft),
	} {
		rec, events := recordRun(t, sc)
		calls := rec.Calls()
		t.Logf("%s: %d events; calls into raft: %v", sc.Name, events, calls)
		for _, m := range []string{"NewRawNode", "Tick", "Step", "Campaign", "HasReady", "Ready", "Advance"} {
			if calls[m] == 0 {
				t.Errorf("%s: no %s recorded", sc.Name, m)
			}
		}
		if err := rec.Replay(true); err != nil {
			t.Fatalf("%s: replay: %v", sc.Name, err)
		}
	}
	for _, c := range []struct {
		method string
		i      int
	}{{"Step", 100}, {"ReadIndex", 10}, {"Propose", 0}} {
		r, _ := recordRaftRun(t)
		r.DropCall(c.method, c.i)
		if err := r.Replay(true); err == nil {
			t.Errorf("a replay without %s #%d makes the run's Readies", c.method, c.i)
		}
	}
}
