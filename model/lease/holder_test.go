package lease_test

import (
	"testing"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/internal/modeltest"
)

// TestSlowLinkKeepsLeading: with requests delayed 4s and a renewal every 200ms, every
// grant answers a request some twenty renewals old. The holder counts its lease from
// that request's send, which still leaves it 750ms per grant, so someone leads all
// along (lease-slow-link bounds unavailability at 1% over its seeds). A holder that
// remembered only its last 16 send times ignored every grant: nobody led for the 30s
// of the fault, about half the run.
func TestSlowLinkKeepsLeading(t *testing.T) {
	modeltest.ExpectMet(t, modeltest.Catalog(t, "lease-slow-link"), 0)
}

// TestSlowLinkWithDrift: grants to old requests are safe to use in both expiry modes that
// count from the send. Drifting clocks, requests slowed by 3.5s, the leader's grants by
// 1s more (it leads on grants to requests sent 4.5s before, some twenty renewals old) and
// then its requests cut off leave no two leaders and no node declared failed while it
// thinks it is alive. Counting from the latest send instead of the answered request's
// fails here (P1 on every seed).
func TestSlowLinkWithDrift(t *testing.T) {
	for _, mode := range []string{"period", "version"} {
		t.Run(mode, func(t *testing.T) {
			sc := modeltest.Parse(t, `name: slow-link-drift
protocol: lease
holders: [A, B, C]
params: {lease: 5s, renew: 200ms, guard: 250ms, expiry: `+mode+`}
network:
  delay: {dist: lognormal, median: 2ms, p99: 40ms}
clocks:
  default: {drift_ppm: 200}
faults:
  - {at: 5s, slow: {from: [A, B, C], to: [Q], by: 3500ms}, until: 50s}
  - {at: 20s, slow: {from: [Q], to: [leader], by: 1s}, until: 45s}
  - {at: 30s, cut_oneway: {from: [leader], to: [Q]}, until: 40s}
duration: 60s
`)
			modeltest.NoFindings(t, sc, modeltest.Seeds(40, 400), checker.P1, checker.P4)
		})
	}
}
