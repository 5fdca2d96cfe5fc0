package lease_test

import (
	"testing"
	"time"

	"github.com/leasesim/leasesim/internal/modeltest"
	"github.com/leasesim/leasesim/model/lease"
)

// TestGuardSizedByWorstRate: under clocks whose rates swing by 2000 ppm around a ±100 ppm
// drift, a guard sized for the mean drift breaks P1 and one at MinGuard of the worst
// rate (drift + amplitude) holds.
func TestGuardSizedByWorstRate(t *testing.T) {
	mean, worst := modeltest.Catalog(t, "lease-periodic-guard-mean"), modeltest.Catalog(t, "lease-periodic-guard-worst")
	lease20 := int64(20 * time.Second)
	if g := lease.MinGuard(lease20, worst.WorstRatePPM(), 0, "period"); g != int64(42*time.Millisecond) || worst.Values.Duration("guard") < g {
		t.Fatalf("MinGuard at the worst rate %v ppm = %v; the scenario's guard %v must cover it", worst.WorstRatePPM(), time.Duration(g), time.Duration(worst.Values.Duration("guard")))
	}
	if g := lease.MinGuard(lease20, 100, 0, "period"); mean.Values.Duration("guard") < g {
		t.Fatalf("the mean-drift guard %v is below MinGuard at the mean drift %v", time.Duration(mean.Values.Duration("guard")), time.Duration(g))
	}
	modeltest.ExpectMet(t, mean, 40)
	modeltest.ExpectMet(t, worst, 40)
}
