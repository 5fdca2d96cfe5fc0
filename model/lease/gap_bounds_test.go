package lease_test

import (
	"testing"
	"time"

	"github.com/leasesim/leasesim/internal/modeltest"
)

// TestFailoverGapBothBounds checks, in every expiry mode, that the failover gap after
// the leader crashes (checker.Failover: from the crash until some holder leads again)
// lies between an analytic lower AND upper bound, so that a protocol that hands the
// lease over too early — by less than its guard, which is safe only without drift at the
// margin — is seen as well as one that hands it over too late.
//
// Lease L = 5s, guard g = 250ms, renew r = 125ms, one-way delays uniform in [dmin, dmax]
// = [1ms, 5ms], every clock's rate within 1 ± ρ (ρ = 100 ppm): a short renewal period
// and a narrow delay range keep the bounds within a few milliseconds of the gaps
// measured, so that a guard 5% short on one side (12.5ms) falls outside them; and r
// divides L + g, so that in version mode, where a contender acts only at its request
// ticks, any shortening of its wait moves the takeover a whole tick earlier. The leader's last request
// that Q processed left it at s in (t_c − r/(1−ρ), t_c] (it asks every r on its clock)
// and reached Q at t_q in [s + dmin, t_c + dmax].
//
//   - period and timestamp: Q frees the lease L + g after t_q on its monotonic clock
//     (timestamp: when its wall clock, running at the same rate, passes the expiry it
//     sent, Q's wall reading at t_q plus L, plus g), between (L+g)/(1+ρ) and (L+g)/(1−ρ)
//     of true time, and grants it at once to a contender waiting in its queue; the grant
//     takes one delay. So
//     (L+g)/(1+ρ) − r/(1−ρ) + 2·dmin <= gap <= (L+g)/(1−ρ) + 2·dmax.
//   - version: Q never frees anything. The last version is made at t_q; a contender
//     first sees it in the deny of its first request to reach Q after t_q, sent at its
//     tick τ0 in (t_q − dmax, t_q + r/(1−ρ) − dmin] (its previous request, one tick
//     earlier, reached Q before t_q). It sends a takeover at its first tick j·r after τ0
//     (on its clock) with j·r − (deny arrival − τ0) >= L + g, so j >= ⌊(L+g)/r⌋ + 1 and
//     j <= ⌈(L+g+2·dmax)/r⌉ (43 and 43 here), and Q's grant answers it:
//     (⌊(L+g)/r⌋+1)·r/(1+ρ) − r/(1−ρ) − dmax + 3·dmin <= gap
//     <= dmax + r/(1−ρ) − dmin + ⌈(L+g+2·dmax)/r⌉·r/(1−ρ) + 2·dmax.
//     The measured gaps stay in the lower part of that range: the leader is the holder
//     whose first request came first, so its tick phase is the earliest of the three.
//
// With these figures: period and timestamp in [5.127s, 5.261s], version in [5.245s,
// 5.514s]. A guard a few percent short on Q's side moves the gaps down by that much (the
// guard-short-5pct mutant, short on both sides, by twice as much); the test also asserts
// that the measured gaps cover most of the range (span), so that the bounds are tight
// enough to matter.
func TestFailoverGapBothBounds(t *testing.T) {
	const (
		L, r, g    = 5 * int64(time.Second), 125 * int64(time.Millisecond), 250 * int64(time.Millisecond)
		dmin, dmax = int64(time.Millisecond), 5 * int64(time.Millisecond)
	)
	rho := 100e-6
	// fast and slow: the true time a span d of a clock takes at rate 1+ρ and 1−ρ.
	fast := func(d int64) int64 { return int64(float64(d) / (1 + rho)) }
	slow := func(d int64) int64 { return int64(float64(d)/(1-rho)) + 1 }
	n := modeltest.Seeds(200, 2000)
	ceilDiv := func(a, b int64) int64 { return (a + b - 1) / b }
	for _, tt := range []struct {
		expiry       string
		lower, upper int64
		span         float64
	}{
		{"period", fast(L+g) - slow(r) + 2*dmin, slow(L+g) + 2*dmax, 0.5},
		{"timestamp", fast(L+g) - slow(r) + 2*dmin, slow(L+g) + 2*dmax, 0.5},
		{"version", fast(((L+g)/r+1)*r) - slow(r) - dmax + 3*dmin,
			dmax + slow(r) - dmin + slow(ceilDiv(L+g+2*dmax, r)*r) + 2*dmax, 0.25},
	} {
		t.Run(tt.expiry, func(t *testing.T) {
			modeltest.GapBounds(t, modeltest.Catalog(t, "lease-failover-"+tt.expiry), n, tt.lower, tt.upper, tt.span)
		})
	}
}
