package k8s_test

import (
	"testing"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/internal/modeltest"
)

// TestCatalogScenarios: the k8s scenarios' expectations hold over many seeds beyond
// their own: a leader crash with client-go's defaults (safe, gap within LeaseDuration +
// 4.4 RetryPeriod), clock rates inside the tolerance (safe) and outside it (two
// leaders), and answers slower than the defaults' 3s margin (two leaders).
func TestCatalogScenarios(t *testing.T) {
	for _, name := range []string{"k8s-leader-crash", "k8s-drift-inside", "k8s-drift-outside", "k8s-slow-responses"} {
		t.Run(name, func(t *testing.T) {
			modeltest.ExpectMet(t, modeltest.Catalog(t, name), modeltest.Seeds(200, 1000))
		})
	}
}

// TestRandomPausesBreakTheDefaults: the catalog's k8s-random-pauses finds two leaders
// among its own seeds (its rate, about 1%, is too low for fewer).
func TestRandomPausesBreakTheDefaults(t *testing.T) {
	modeltest.ExpectMet(t, modeltest.Catalog(t, "k8s-random-pauses"), 0)
}

// TestMutantSchedulesAreSafeWhenCorrect: the schedules that catch the mutants give no
// finding at all with the correct elector. (model/all's TestMutantsAreCaught checks that
// each mutant is caught.)
func TestMutantSchedulesAreSafeWhenCorrect(t *testing.T) {
	for _, name := range []string{"mutant-k8s-trusts-remote-timestamps", "mutant-k8s-ignores-renew-deadline"} {
		t.Run(name, func(t *testing.T) {
			sc := modeltest.Catalog(t, name)
			modeltest.NoFindings(t, modeltest.Without(sc), modeltest.Seeds(200, 1000))
		})
	}
}

// tolerated are the fault kinds client-go's elector is safe under: everything but
// pauses and slow links, which delay the answer to a renewal past the margin
// LeaseDuration − RenewDeadline − RetryPeriod (see TestPausesAndSlowLinksBreakIt).
var tolerated = []string{"partition", "cut", "cut_oneway", "isolate", "crash", "issuer_crash", "lossy", "reorder", "clock_step", "drift"}

// params leave a margin LeaseDuration − RenewDeadline − RetryPeriod of 1.5s: a candidate
// may count LeaseDuration from up to a second before the leader's last renewal (the
// record compares at whole seconds, as client-go's does), so a margin under a second is
// unsafe under a mere partition.
const params = "{lease_duration: 4s, renew_deadline: 2s, retry_period: 500ms}"

// TestRandomFaults: no two leaders, no stale write, a linearizable Lease object, under
// random schedules of every tolerated fault kind, wall clocks 5s apart (the elector
// compares the record's wall times only for equality at whole seconds) and drift within
// 200 ppm, on one issuer node.
func TestRandomFaults(t *testing.T) {
	sc := modeltest.RandomFaults(t, "k8s", params, tolerated, 200, "5s", "")
	modeltest.NoFindings(t, sc, modeltest.Seeds(300, 2000))
}

// TestRandomFaultsRaft: the same with a 3-node raft issuer, whose nodes crash, drift and
// get partitioned too.
func TestRandomFaultsRaft(t *testing.T) {
	sc := modeltest.RandomFaults(t, "k8s", params, tolerated, 200, "5s", "issuers: 3\n")
	modeltest.NoFindings(t, sc, modeltest.Seeds(200, 2000))
}

// TestPausesAndSlowLinksBreakIt: the correct elector is not safe under process pauses
// and slow links, as expected: random schedules of those two kinds alone find two
// leaders in every trial.
func TestPausesAndSlowLinksBreakIt(t *testing.T) {
	sc := modeltest.RandomFaults(t, "k8s", params, []string{"pause", "slow"}, 200, "5s", "")
	d := modeltest.Detect(t, sc, checker.P1, 3, 200)
	if !d.Every {
		t.Fatalf("pauses and slow links did not break client-go's elector in every trial: seeds to detection %v", d.SeedsToDetection)
	}
	t.Logf("seeds to the first two-leader run: %v", d.SeedsToDetection)
}
