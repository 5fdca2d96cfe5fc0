package k8s_test

import (
	"fmt"
	"testing"

	"github.com/leasesim/leasesim/internal/modeltest"
)

// TestDuplicatingReorderingNetwork: a network that duplicates a third of all messages and
// reorders them leaves the Lease object linearizable (and the election safe), on one
// issuer node and on a raft cluster. Client requests travel at most once, as over gRPC
// on TCP; were they duplicated, a compare-and-swap would execute twice, the duplicate's
// "conflict" would overtake the success, and a later read would show the "failed" write,
// which P3 rejects (it does on most seeds when the elector's requests lose AtMostOnce).
func TestDuplicatingReorderingNetwork(t *testing.T) {
	for _, issuers := range []int{1, 3} {
		t.Run(fmt.Sprintf("issuers-%d", issuers), func(t *testing.T) {
			sc := modeltest.Parse(t, fmt.Sprintf(`name: k8s-duplicate-reorder
protocol: k8s
issuers: %d
holders: [A, B, C]
resource: true
params: {lease_duration: 4s, renew_deadline: 2s, retry_period: 500ms}
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
