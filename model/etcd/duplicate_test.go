package etcd_test

import (
	"fmt"
	"testing"

	"github.com/leasesim/leasesim/internal/modeltest"
)

// TestDuplicatingReorderingNetwork: a network that duplicates a third of all messages and
// reorders them leaves the client history linearizable (values, leases and create
// revisions as written) and the election safe, on one issuer node and on a raft cluster.
// Client requests travel at most once, as over gRPC on TCP: the network duplicates the
// answers and raft's messages, not the requests.
func TestDuplicatingReorderingNetwork(t *testing.T) {
	for _, issuers := range []int{1, 3} {
		t.Run(fmt.Sprintf("issuers-%d", issuers), func(t *testing.T) {
			sc := modeltest.Parse(t, fmt.Sprintf(`name: etcd-duplicate-reorder
protocol: etcd
issuers: %d
holders: [A, B, C]
resource: true
params: {ttl: 3s, keepalive: 1s}
network:
  delay: {dist: lognormal, median: 2ms, p99: 40ms}
  loss: 0.01
  duplicate: 0.3
faults:
  - {at: 0s, reorder: {window: 30ms}, until: 2m}
  - {at: 30s, isolate: leader, until: 40s}
  - {at: 70s, crash: leader, restart: 75s}
duration: 2m
`, issuers))
			modeltest.NoFindings(t, sc, modeltest.Seeds(40, 400))
		})
	}
}
