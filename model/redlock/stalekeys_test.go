package redlock_test

import (
	"strings"
	"testing"

	"github.com/leasesim/leasesim/internal/modeltest"
	"github.com/leasesim/leasesim/stats"
)

// staleKeysYAML is one fenced holder, Q3 down, 20% of messages lost, for a minute
// (TestCommitRetriedAfterLoss's scenario); faults is replaced to bring Q3 back.
const staleKeysYAML = `
name: redlock-stale-keys
protocol: redlock
holders: [A]
issuers: 3
resource: true
params: {retry_delay: 1ms, fenced: true}
network:
  delay: {dist: uniform, min: 1ms, max: 5ms}
  loss: 0.2
faults: FAULTS
duration: 60s
`

// TestStaleKeysWithTwoIssuers measures the property the package doc describes under
// "Two live issuers of three": with Q3 down, a lock needs both Q1 and Q2 to grant in one
// attempt, and every release lost to the network leaves the holder's own earlier key on
// an issuer, which refuses the holder's next values until its TTL (10s) runs out. The
// two issuers' stale keys leapfrog, and in some seeds the holder never holds the lock in
// the minute: 7 of seeds 1–100 (17 of 200), exact 95% bounds about 3%–13%. With Q3 up,
// a majority is any two of three and one stale key blocks nothing: none of the 100
// seeds goes without the lock. The stale keys are the whole cause: a holder that keeps
// its value across failed attempts, so that an issuer holding its own earlier key
// grants again, never goes without the lock in these seeds (0 of 100, none over 10%;
// measured with that change made by hand), and this test then fails.
func TestStaleKeysWithTwoIssuers(t *testing.T) {
	const seeds = 100
	never := func(faults string) (int, int) {
		sc := modeltest.Parse(t, strings.Replace(staleKeysYAML, "FAULTS", faults, 1))
		n, long := 0, 0
		for _, r := range modeltest.Run(t, sc, modeltest.SeedRange(1, seeds)) {
			if r.Check.Metrics.UnavailableFraction == 1 {
				n++
			}
			if r.Check.Metrics.UnavailableFraction > 0.1 {
				long++
			}
		}
		return n, long
	}
	down, downLong := never("[{at: 0s, crash: Q3}]")
	iv := stats.ClopperPearson(down, seeds, 0.95)
	if iv.Lower < 0.01 || iv.Upper > 0.3 {
		t.Errorf("Q3 down: %d of %d seeds never held the lock (bounds %.1f%%–%.1f%%); want a rate between 1%% and 30%%, as measured (7 of 100)",
			down, seeds, 100*iv.Lower, 100*iv.Upper)
	}
	up, upLong := never("[]")
	if up != 0 || upLong > seeds/20 {
		t.Errorf("Q3 up: %d of %d seeds never held the lock, %d were unavailable over 10%% of the minute; want none and at most %d (Q3 down: %d and %d)",
			up, seeds, upLong, seeds/20, down, downLong)
	}
	t.Logf("never held the lock in a minute: %d of %d seeds with Q3 down (unavailable over 10%%: %d), %d with Q3 up (%d)", down, seeds, downLong, up, upLong)
}
