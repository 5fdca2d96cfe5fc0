package checker

import (
	"testing"
	"time"
)

// TestFormatDurUnitBoundaries: a duration of exactly one unit is written in that unit
// ("1µs", not "1000ns"). Kills the `<` → `<=` mutants of formatDur's switch, which
// gremlins never runs (a condition in a case clause has no coverage block of its own).
func TestFormatDurUnitBoundaries(t *testing.T) {
	for _, tc := range []struct {
		ns   int64
		want string
	}{
		{999, "999ns"},
		{int64(time.Microsecond), "1µs"},
		{int64(time.Millisecond) - 1, "1000µs"},
		{int64(time.Millisecond), "1ms"},
		{int64(time.Second), "1s"},
		{int64(time.Minute) - int64(time.Millisecond), "60s"},
		{int64(time.Minute), "1m0s"},
	} {
		if got := formatDur(tc.ns); got != tc.want {
			t.Errorf("formatDur(%d) = %q, want %q", tc.ns, got, tc.want)
		}
	}
}

// TestFormatTimePrecision: points in time are written to the millisecond from one
// second up (either sign), to the microsecond from one millisecond up, and exactly
// below. Kills formatTime's case-clause mutants (negated comparisons, the `-time.Second`
// and `-time.Millisecond` bounds turned positive).
func TestFormatTimePrecision(t *testing.T) {
	for _, tc := range []struct {
		ns   int64
		want string
	}{
		{1_234_567_891, "1.235s"},
		{-1_234_567_891, "-1.235s"},
		{4_512_345, "4.512ms"},
		{-4_512_345, "-4.512ms"},
		{450_123, "450.123µs"},
		{-450_123, "-450.123µs"},
		{999_999_999, "1s"},
		{-999_999_999, "-1s"},
		{999_999, "999.999µs"},
	} {
		if got := formatTime(tc.ns); got != tc.want {
			t.Errorf("formatTime(%d) = %q, want %q", tc.ns, got, tc.want)
		}
	}
}
