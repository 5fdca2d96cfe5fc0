package result

import (
	"math"
	"testing"
)

// TestThousands: one writer of counts and seeds with thousands separators, for every
// integer type they come in — ints, int64 event counts, uint64 seeds up to the largest.
func TestThousands(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{Thousands(0), "0"},
		{Thousands(999), "999"},
		{Thousands(1000), "1,000"},
		{Thousands(-1234567), "-1,234,567"},
		{Thousands(int64(2947)), "2,947"},
		{Thousands(uint64(1734)), "1,734"},
		{Thousands(uint64(math.MaxUint64)), "18,446,744,073,709,551,615"},
		{Thousands(int64(math.MinInt64)), "-9,223,372,036,854,775,808"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
