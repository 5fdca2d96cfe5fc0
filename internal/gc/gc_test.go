package gc

import (
	"math"
	"runtime/debug"
	"testing"
)

// TestForSimulation: GOGC 400 and the 4 GiB memory limit, unless the user's GOGC or
// GOMEMLIMIT is set, which it leaves alone.
func TestForSimulation(t *testing.T) {
	percent, limit := debug.SetGCPercent(100), debug.SetMemoryLimit(math.MaxInt64)
	t.Cleanup(func() { debug.SetGCPercent(percent); debug.SetMemoryLimit(limit) })
	for _, c := range []struct {
		env         map[string]string
		wantPercent int
		wantLimit   int64
	}{
		{nil, 400, 4 << 30},
		{map[string]string{"GOGC": "50"}, 100, 4 << 30},
		{map[string]string{"GOMEMLIMIT": "1GiB"}, 400, math.MaxInt64},
		{map[string]string{"GOGC": "off", "GOMEMLIMIT": "1GiB"}, 100, math.MaxInt64},
	} {
		debug.SetGCPercent(100)
		debug.SetMemoryLimit(math.MaxInt64)
		ForSimulation(func(k string) string { return c.env[k] })
		if p, l := debug.SetGCPercent(100), debug.SetMemoryLimit(-1); p != c.wantPercent || l != c.wantLimit {
			t.Errorf("env %v: GOGC %d, memory limit %d; want %d, %d", c.env, p, l, c.wantPercent, c.wantLimit)
		}
	}
}
