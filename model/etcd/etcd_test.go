package etcd_test

import (
	"testing"

	"leasesim/internal/modeltest"
)

func TestCatalogScenarios(t *testing.T) {
	for _, name := range []string{"etcd-issuer-crash", "etcd-leader-crash"} {
		t.Run(name, func(t *testing.T) {
			modeltest.ExpectMet(t, modeltest.Catalog(t, name), modeltest.Seeds(1000, 5000))
		})
	}
}

// TestRandomFaults: no two leaders, no stale write (the resource is fenced with the
// election key's create revision), no node declared failed while alive, under random
// schedules of every fault kind that one issuer node can take.
func TestRandomFaults(t *testing.T) {
	sc := modeltest.RandomFaults(t, "etcd", "{ttl: 3s, keepalive: 1s}", nil, 200, "100ms", "")
	modeltest.NoFindings(t, sc, modeltest.Seeds(1000, 10000))
}
