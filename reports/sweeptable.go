package reports

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/leasesim/leasesim/result"
)

// WriteSweepTable writes a sweep's points for people, one line each: the swept values
// (in the order of swept), seeds, violating seeds, the one-sided upper bound on the
// violation rate at result.DefaultConfidence (two significant digits, rounded up, as the
// suite table prints bounds: result.PercentUp), the mean and p95 unavailable fraction
// (result.Measured, as the suite table's) and the p95 of the longest gap; an invalid
// point says why in place of its figures. The columns are aligned with a tabwriter, as the suite
// table's.
func WriteSweepTable(w io.Writer, swept []string, points []result.SweepPoint) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "%s\tseeds\tviolating\trate ≤ (95%%)\tunavail mean\tp95\tmax gap p95\n", strings.Join(swept, "\t"))
	for _, p := range points {
		var vals []string
		for _, k := range swept {
			vals = append(vals, p.Set[k])
		}
		if p.Error != "" {
			// The reason is the line's last cell, which widens no column.
			fmt.Fprintf(tw, "%s\tinvalid: %s\n", strings.Join(vals, "\t"), p.Error)
			continue
		}
		upper := result.RateOf(p.ViolatingSeeds, p.Seeds, result.DefaultConfidence, 0).Upper
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\t%s\t%s\n", strings.Join(vals, "\t"), p.Seeds, p.ViolatingSeeds,
			result.PercentUp(upper), pct(p.UnavailMean), pct(p.UnavailP95), time.Duration(p.GapP95).Round(time.Millisecond))
	}
	tw.Flush()
}
