package reports

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/leasesim/leasesim/result"
)

// WriteSweepTable writes a sweep's points for people, one line each: the swept values
// (in the order of swept), seeds, violating seeds, the one-sided upper bound on the
// violation rate at result.DefaultConfidence, the mean and p95 unavailable fraction and
// the p95 of the longest gap; an invalid point says why instead.
func WriteSweepTable(w io.Writer, swept []string, points []result.SweepPoint) {
	fmt.Fprintf(w, "%s  seeds  violating  rate ≤ (95%%)  unavail mean  p95       max gap p95\n", strings.Join(swept, "  "))
	for _, p := range points {
		var vals []string
		for _, k := range swept {
			vals = append(vals, p.Set[k])
		}
		if p.Error != "" {
			fmt.Fprintf(w, "%s  invalid: %s\n", strings.Join(vals, "  "), p.Error)
			continue
		}
		upper := result.RateOf(p.ViolatingSeeds, p.Seeds, result.DefaultConfidence, 0).Upper
		fmt.Fprintf(w, "%s  %5d  %9d  %11.4f%%  %10.4f%%  %8.4f%%  %s\n", strings.Join(vals, "  "), p.Seeds, p.ViolatingSeeds,
			100*upper, 100*p.UnavailMean, 100*p.UnavailP95, time.Duration(p.GapP95).Round(time.Millisecond))
	}
}
