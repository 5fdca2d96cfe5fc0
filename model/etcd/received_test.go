package etcd_test

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/leasesim/leasesim/internal/modeltest"
	"github.com/leasesim/leasesim/model/etcd"
)

// TestReceivedSharesOnlyWhatRaftKeeps: a raft node is given most delivered messages as
// the network holds them, shared with the sender and with a duplicate's second delivery,
// and a copy only of those raft writes into. Runs on a network that duplicates a third of
// all messages, with forwarded proposals (expire-on-follower), a leader crash and
// an isolation, are the same (trace hash, verdict, findings, metrics) as with a deep copy of
// every message.
func TestReceivedSharesOnlyWhatRaftKeeps(t *testing.T) {
	for _, mutant := range []string{"", "mutant: expire-on-follower"} {
		sc := modeltest.Parse(t, fmt.Sprintf(`name: etcd-raft-duplicate-share
protocol: etcd
issuers: 3
holders: [A, B, C]
resource: true
params: {ttl: 3s, keepalive: 1s}
%s
network:
  delay: {dist: lognormal, median: 2ms, p99: 40ms}
  loss: 0.01
  duplicate: 0.3
faults:
  - {at: 0s, reorder: {window: 30ms}, until: 2m}
  - {at: 30s, isolate: leader, until: 40s}
  - {at: 70s, crash: leader, restart: 75s}
duration: 2m
`, mutant))
		seeds := modeltest.SeedRange(1, modeltest.Seeds(6, 40))
		etcd.DeepCopyReceived(true)
		deep := modeltest.Run(t, sc, seeds)
		etcd.DeepCopyReceived(false)
		shared := modeltest.Run(t, sc, seeds)
		for i := range seeds {
			d, s := deep[i].Result, shared[i].Result
			if d.TraceHash == "" || !reflect.DeepEqual(d, s) {
				t.Errorf("%q seed %d: trace %s, verdict %s, %d findings, metrics %+v with a deep copy of every message;\n%s, %s, %d, %+v without",
					mutant, seeds[i], d.TraceHash, d.Verdict, len(d.Findings), d.Metrics, s.TraceHash, s.Verdict, len(s.Findings), s.Metrics)
			}
		}
	}
}
