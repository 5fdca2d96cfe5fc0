package k8s_test

import (
	"fmt"
	"testing"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/internal/modeltest"
)

// TestSubSecondMargin: a candidate compares the record at whole seconds, as client-go
// does, so with RetryPeriod 100ms it counts LeaseDuration from up to a second before the
// leader's last renewal. A margin LeaseDuration − RenewDeadline − RetryPeriod of 0.4s
// then gives two leaders when the leader is merely cut off (realk8s
// TestCompareSubSecondMargin finds the same in real client-go; an elector comparing
// the record at nanoseconds finds none); a margin of 1.4s gives none.
func TestSubSecondMargin(t *testing.T) {
	const n = 20
	for _, tc := range []struct {
		renewDeadline string
		twoLeaders    int
	}{
		{"14500ms", n},
		{"13500ms", 0},
	} {
		t.Run("renew_deadline="+tc.renewDeadline, func(t *testing.T) {
			sc := modeltest.Parse(t, fmt.Sprintf(`name: k8s-subsecond-margin
protocol: k8s
holders: [A, B, C]
params: {lease_duration: 15s, renew_deadline: %s, retry_period: 100ms}
network:
  delay: {dist: uniform, min: 1ms, max: 5ms}
faults:
  - {at: 30s, isolate: leader, until: 65s}
duration: 70s
`, tc.renewDeadline))
			got := 0
			for _, r := range modeltest.Run(t, sc, modeltest.SeedRange(1, n)) {
				for _, f := range r.Check.Findings {
					if f.Kind == checker.P1 {
						got++
						break
					}
				}
			}
			if got != tc.twoLeaders {
				t.Errorf("%d of %d runs with two leaders, want %d", got, n, tc.twoLeaders)
			}
		})
	}
}
