package fencing_test

import (
	"testing"
	"time"

	"github.com/leasesim/leasesim/internal/modeltest"
)

// TestFailoverGapBothBounds: the fencing protocol is the lease protocol (period mode)
// with a fenced resource, so the failover gap after the leader crashes has the lease
// protocol's bounds (model/lease, TestFailoverGapBothBounds, which derives them): with
// lease L = 5s, guard g = 250ms, renew r = 125ms, delays uniform in [1ms, 5ms] and
// rates within 1 ± 100 ppm,
//
//	(L+g)/(1+ρ) − r/(1−ρ) + 2·dmin <= gap <= (L+g)/(1−ρ) + 2·dmax,
//
// [5.127s, 5.261s]; the leader's writes to the resource do not move it.
func TestFailoverGapBothBounds(t *testing.T) {
	const (
		L, r, g    = 5 * int64(time.Second), 125 * int64(time.Millisecond), 250 * int64(time.Millisecond)
		dmin, dmax = int64(time.Millisecond), 5 * int64(time.Millisecond)
	)
	rho := 100e-6
	lower := int64(float64(L+g)/(1+rho)) - int64(float64(r)/(1-rho)) - 1 + 2*dmin
	upper := int64(float64(L+g)/(1-rho)) + 1 + 2*dmax
	sc := modeltest.Catalog(t, "fencing-failover")
	modeltest.GapBounds(t, sc, modeltest.Seeds(200, 2000), lower, upper, 0.5)
}
