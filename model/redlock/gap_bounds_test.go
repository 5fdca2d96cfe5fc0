package redlock_test

import (
	"testing"
	"time"

	"github.com/leasesim/leasesim/internal/modeltest"
)

// TestFailoverGapBothBounds checks that the failover gap after the lock holder crashes
// (checker.Failover: from the crash until some holder holds the lock again) lies between
// an analytic lower and upper bound, so that issuers that free a key early — by less
// than the drift allowance, unsafe only at the drift margin — are seen as well as a
// contender that takes the lock late.
//
// Three issuers, two holders, ttl T = 5s, renew r = 20ms, retry_delay rd = 20ms, one-way
// delays uniform in [dmin, dmax] = [1ms, 5ms], every clock's rate within 1 ± ρ (ρ = 100
// ppm). The crashed holder started its rounds r after each decision, which came when the
// last reply arrived (at most 2·dmax after the round's start), so its last round started
// at s in (t_c − 2·dmax − r/(1−ρ), t_c]. Each issuer received that round's SET at a_i in
// [s + dmin, s + dmax] and frees the key T later on its wall clock: between a_i +
// T/(1+ρ) and a_i + T/(1−ρ). The contender attempts all the time: a failed attempt
// decides at its last reply (at most 2·dmax), releases and retries after at most rd on
// its clock, so it sends an attempt in every window of 2·dmax + rd/(1−ρ). It holds the
// lock when the replies of its first attempt whose SETs reach two freed keys come back
// (one contender: no split of the issuers), at least dmin after they arrive and at most
// 2·dmax after it sent it. So
//
//	T/(1+ρ) + 2·dmin − 2·dmax − r/(1−ρ) <= gap <= (T + rd)/(1−ρ) + 5·dmax
//
// [4.971s, 5.046s]. The lock's own validity ends T − drift (1% of T + 2ms: 52ms) after
// the round's start; issuers that free the key 0.5% of T (25ms) early move the gaps below
// the lower bound (checked by planting it).
func TestFailoverGapBothBounds(t *testing.T) {
	const (
		T, r, rd   = 5 * int64(time.Second), 20 * int64(time.Millisecond), 20 * int64(time.Millisecond)
		dmin, dmax = int64(time.Millisecond), 5 * int64(time.Millisecond)
	)
	rho := 100e-6
	fast := func(d int64) int64 { return int64(float64(d) / (1 + rho)) }
	slow := func(d int64) int64 { return int64(float64(d)/(1-rho)) + 1 }
	lower := fast(T) + 2*dmin - 2*dmax - slow(r)
	upper := slow(T) + slow(rd) + 5*dmax
	modeltest.GapBounds(t, modeltest.Catalog(t, "redlock-failover"), modeltest.Seeds(200, 2000), lower, upper, 0.5)
}
