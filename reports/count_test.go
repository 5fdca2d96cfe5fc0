package reports

import "testing"

func TestCount(t *testing.T) {
	for _, tc := range []struct {
		n    int
		noun string
		want string
	}{
		{0, "scenario", "0 scenarios"},
		{1, "scenario", "1 scenario"},
		{2, "seed", "2 seeds"},
		{1, "finding", "1 finding"},
		{-1, "run", "-1 runs"},
		// Thousands separated, as "0 of 1,000 seeds" ("1932 schedules" before).
		{1932, "schedule", "1,932 schedules"},
		{-12345, "run", "-12,345 runs"},
	} {
		if got := Count(tc.n, tc.noun); got != tc.want {
			t.Errorf("Count(%d, %q) = %q, want %q", tc.n, tc.noun, got, tc.want)
		}
	}
}
