package k8s

import "testing"

// TestSameAsMarshalled: a candidate sees the record change only where client-go's
// marshalled LeaderElectionRecord would: holder, lease duration, transitions, or the
// whole seconds (rounded down, also before the epoch) of the acquire or renew time.
func TestSameAsMarshalled(t *testing.T) {
	base := record{holder: "A", durationNS: 15 * s, acquireWall: 4*s + 100, renewWall: 7*s + 100, transitions: 2}
	with := func(f func(*record)) string {
		r := base
		f(&r)
		return r.encode()
	}
	tests := []struct {
		name string
		b    string
		same bool
	}{
		{"identical", base.encode(), true},
		{"renewed later in the same second", with(func(r *record) { r.renewWall = 7*s + 999_999_999 }), true},
		{"acquired later in the same second", with(func(r *record) { r.acquireWall = 4*s + 500_000_000 }), true},
		{"renewed in the next second", with(func(r *record) { r.renewWall = 8 * s }), false},
		{"renewed in the previous second", with(func(r *record) { r.renewWall = 7*s - 1 }), false},
		{"acquired in another second", with(func(r *record) { r.acquireWall = 5 * s }), false},
		{"another holder", with(func(r *record) { r.holder = "B" }), false},
		{"another duration", with(func(r *record) { r.durationNS = 15*s + 1 }), false},
		{"another transition count", with(func(r *record) { r.transitions = 3 }), false},
		{"unreadable", "nonsense", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := sameAsMarshalled(base.encode(), tc.b); got != tc.same {
				t.Errorf("sameAsMarshalled(%q, %q) = %v, want %v", base.encode(), tc.b, got, tc.same)
			}
		})
	}
	// Before the epoch (a wall clock set back), seconds round down as RFC3339 does:
	// -0.5s is 23:59:59, -1s too, and -1.5s is 23:59:58.
	neg := func(ns int64) string { r := base; r.renewWall = ns; return r.encode() }
	if !sameAsMarshalled(neg(-s/2), neg(-s)) || sameAsMarshalled(neg(-s/2), neg(-s/2*3)) || sameAsMarshalled(neg(-1), neg(0)) {
		t.Errorf("whole seconds before the epoch: want -0.5s and -1s the same, -1.5s and 0s different from -0.5s and -1ns")
	}
}

func TestWholeSeconds(t *testing.T) {
	for _, tc := range []struct{ ns, want int64 }{
		{0, 0}, {1, 0}, {s - 1, 0}, {s, 1}, {-1, -1}, {-s, -1}, {-s - 1, -2},
	} {
		if got := wholeSeconds(tc.ns); got != tc.want {
			t.Errorf("wholeSeconds(%d) = %d, want %d", tc.ns, got, tc.want)
		}
	}
}
