package etcd_test

import (
	"testing"

	"github.com/leasesim/leasesim/internal/modeltest"
	"github.com/leasesim/leasesim/model/etcd"
	"github.com/leasesim/leasesim/sim"
)

// recordRaftRun records the calls into raft of the first seed of the catalog's
// etcd-raft-leader-crash and returns them with the run's event count.
func recordRaftRun(tb testing.TB) (*etcd.RaftRecording, int64) {
	tb.Helper()
	sc := modeltest.Catalog(tb, "etcd-raft-leader-crash")
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

// TestRaftReplayIsFaithful: replaying a run's calls into raft against fresh raft nodes,
// with no simulator, makes the Readies the run made (BenchmarkRaftFloor measures that
// replay), that no Tick the driver takes to make no Ready (a non-leader's) makes one, so
// that raftNode.process rightly skips HasReady after it, and that a replay that misses
// one call is seen to differ.
func TestRaftReplayIsFaithful(t *testing.T) {
	rec, events := recordRaftRun(t)
	calls := rec.Calls()
	t.Logf("%d events; calls into raft: %v", events, calls)
	for _, m := range []string{"NewRawNode", "Tick", "Step", "Campaign", "Propose", "ReadIndex", "HasReady", "Ready", "Advance"} {
		if calls[m] == 0 {
			t.Errorf("no %s recorded", m)
		}
	}
	if err := rec.Replay(true); err != nil {
		t.Fatalf("replay: %v", err)
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
