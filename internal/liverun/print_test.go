package liverun

import (
	"strings"
	"testing"

	"github.com/leasesim/leasesim/live"
)

// The summary after the trials: one column per source, rates with their exact
// bounds, widths and gaps in milliseconds, other judged findings by property.
func TestPrintSummary(t *testing.T) {
	real := live.Summary{Source: "real etcd", Trials: 20, Violating: live.RateOf(0, 20), BeliefOverlap: live.RateOf(5, 20),
		BeliefOverlaps: 5, MeanBeliefOverlapMS: 120.4, MaxBeliefOverlapMS: 301, EffectiveOverlaps: live.RateOf(0, 20),
		Failovers: 20, MinFailoverMS: 1037, MaxFailoverMS: 2159, MaxGapMS: 2151, RejectedWrites: 3}
	model := live.Summary{Source: "simulated etcd model", Trials: 20, Violating: live.RateOf(20, 20), BeliefOverlap: live.RateOf(15, 20),
		EffectiveOverlaps: live.RateOf(0, 20), Other: map[string]int{"p4": 20, "p3": 1}}
	var b strings.Builder
	PrintSummary(&b, []live.Summary{real, model})
	out := b.String()
	for _, want := range []string{"real etcd", "simulated etcd model", "0/20 (bounds 0–14% at 95%)", "5/20 (bounds 10–46% at 95%)",
		"mean 120ms, widest 301ms", "1.037s to 2.159s (20)", "p3: 1, p4: 20", "writes refused by the fence  3"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
}
