package etcd_test

import (
	"testing"

	"github.com/leasesim/leasesim/internal/modeltest"
	"github.com/leasesim/leasesim/model/etcd"
	"github.com/leasesim/leasesim/scenarios"
)

// TestSoloReadsChangeNoTrace: confirming a one-node raft's ReadIndex rounds without
// asking raft (readsolo.go) changes nothing a run shows: over the one-issuer etcd
// scenarios (crashes and restarts of the issuer, a lossy link, the keys scenario) and
// random faults, every seed's trace hash (which covers every event), verdict and
// findings are those of the path through raft, and the shortcut was taken, each time
// with raft having no Ready and the commit index the driver kept (raft's own).
func TestSoloReadsChangeNoTrace(t *testing.T) {
	cases := []struct {
		sc    *scenarios.Scenario
		seeds int
	}{
		{modeltest.Catalog(t, "etcd-issuer-crash"), modeltest.Seeds(20, 200)},
		{modeltest.Catalog(t, "etcd-issuer-crashes"), modeltest.Seeds(20, 200)},
		{modeltest.Catalog(t, "etcd-leader-crash"), modeltest.Seeds(20, 200)},
		{modeltest.Catalog(t, "etcd-client-etcd-go"), modeltest.Seeds(10, 100)},
		{modeltest.Catalog(t, "etcd-keys-shared-leases"), modeltest.Seeds(2, 10)},
		{modeltest.Catalog(t, "etcd-keys-own-leases"), 1},
		{modeltest.RandomFaults(t, "etcd", "{ttl: 3s, keepalive: 1s}", nil, 200, "100ms", ""), modeltest.Seeds(50, 500)},
	}
	for _, c := range cases {
		t.Run(c.sc.Name, func(t *testing.T) {
			seeds := modeltest.SeedRange(1, c.seeds)
			taken, wrong := etcd.SoloReadsTaken(), etcd.SoloReadsWrong()
			checked := etcd.SetSoloReadsChecked(true)
			fast := modeltest.Run(t, c.sc, seeds)
			etcd.SetSoloReadsChecked(checked)
			if etcd.SoloReadsTaken() == taken {
				t.Fatalf("the shortcut was never taken")
			}
			if n := etcd.SoloReadsWrong() - wrong; n > 0 {
				t.Fatalf("%d rounds confirmed with raft having a Ready or another commit index", n)
			}
			was := etcd.SetSoloReads(false)
			slow := modeltest.Run(t, c.sc, seeds)
			etcd.SetSoloReads(was)
			for i := range seeds {
				f, s := fast[i].Result, slow[i].Result
				if f.TraceHash != s.TraceHash || f.Verdict != s.Verdict || len(f.Findings) != len(s.Findings) {
					t.Errorf("seed %d: shortcut: trace %s, %s, %d findings; through raft: trace %s, %s, %d findings",
						seeds[i], f.TraceHash, f.Verdict, len(f.Findings), s.TraceHash, s.Verdict, len(s.Findings))
				}
			}
		})
	}
}
