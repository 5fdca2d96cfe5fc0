package etcd

import (
	"testing"
	"time"
)

// TestMinLeaseTTL: etcd's minimum lease TTL, ceil((3*ElectionTicks/2) * heartbeat) in
// whole seconds, and the TTL the issuer grants for a request below, at and above it.
func TestMinLeaseTTL(t *testing.T) {
	const ms, s = int64(time.Millisecond), int64(time.Second)
	for _, c := range []struct {
		name      string
		ticks     int
		heartbeat int64
		want      int64
	}{
		{"defaults: 10 ticks of 100ms, 1.5s", 10, 100 * ms, 2 * s},
		{"the integer division: 3*5/2 = 7 ticks, 700ms", 5, 100 * ms, 1 * s},
		{"11 ticks: 16 ticks, 1.6s", 11, 100 * ms, 2 * s},
		{"exactly 3s: 20 ticks of 100ms", 20, 100 * ms, 3 * s},
		{"live mode's 10ms tick, 100ms election", 10, 10 * ms, 1 * s},
		{"30 ticks of 100ms: 4.5s", 30, 100 * ms, 5 * s},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := minLeaseTTL(c.ticks, c.heartbeat); got != c.want {
				t.Fatalf("minLeaseTTL(%d, %v) = %v, want %v", c.ticks, time.Duration(c.heartbeat), time.Duration(got), time.Duration(c.want))
			}
			cfg := &config{minTTL: c.want}
			for _, ask := range []int64{s, c.want, c.want + s} {
				if got, want := cfg.grantTTL(ask), max(ask, c.want); got != want {
					t.Errorf("grantTTL(%v) = %v, want %v", time.Duration(ask), time.Duration(got), time.Duration(want))
				}
			}
		})
	}
}
