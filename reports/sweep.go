package reports

import (
	"encoding/csv"
	"io"
	"strconv"

	"github.com/leasesim/leasesim/result"
)

// WriteSweepCSV writes one row per point: the swept parameters (one column each, in the
// order given), seeds, violations per property, the violation rates with their bounds
// (violation_rate/_lower/_upper for any property, then pN_rate/_lower/_upper per
// property, at rate_confidence), and the unavailability and gap figures.
func WriteSweepCSV(w io.Writer, params []string, points []result.SweepPoint) error {
	cw := csv.NewWriter(w)
	head := append(append([]string{}, params...), "seeds", "violating_seeds", "p1", "p2", "p3", "p4", "unknown",
		"violation_rate", "violation_lower", "violation_upper",
		"p1_rate", "p1_lower", "p1_upper", "p2_rate", "p2_lower", "p2_upper",
		"p3_rate", "p3_lower", "p3_upper", "p4_rate", "p4_lower", "p4_upper", "rate_confidence",
		"unavailable_mean", "unavailable_p50", "unavailable_p95", "unavailable_max",
		"max_gap_p50_s", "max_gap_p95_s", "max_gap_max_s", "leader_changes_mean", "issuer_msgs_per_sec", "error")
	if err := cw.Write(head); err != nil {
		return err
	}
	// Exact figures (the shortest decimal that reads back as the same float64), as
	// points.jsonl has them: six significant digits rounded to the nearest would print an
	// upper bound below the one computed. Gaps are in seconds, to the nanosecond.
	f := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
	s := func(ns int64) string { return strconv.FormatFloat(float64(ns)/1e9, 'f', -1, 64) }
	for _, p := range points {
		row := make([]string, 0, len(head))
		for _, k := range params {
			row = append(row, p.Set[k])
		}
		row = append(row, strconv.Itoa(p.Seeds), strconv.Itoa(p.ViolatingSeeds),
			strconv.Itoa(p.Violations["p1"]), strconv.Itoa(p.Violations["p2"]), strconv.Itoa(p.Violations["p3"]), strconv.Itoa(p.Violations["p4"]),
			strconv.Itoa(p.Unknown))
		row = append(row, rateCells(p, f)...)
		row = append(row, f(p.UnavailMean), f(p.UnavailP50), f(p.UnavailP95), f(p.UnavailMax),
			s(p.GapP50), s(p.GapP95), s(p.GapMax), f(p.LeaderChanges), f(p.IssuerMsgsPerSec), p.Error)
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// rateCells are a point's rate columns: rate, lower, upper for any property then for p1
// to p4, and the confidence; empty for a point that did not run.
func rateCells(p result.SweepPoint, f func(float64) string) []string {
	rates := p.Rates
	if rates == nil {
		rates = result.SweepRates(p)
	}
	out := make([]string, 0, 3*len(result.RateProperties)+1)
	if rates == nil {
		return append(out, make([]string, 3*len(result.RateProperties)+1)...)
	}
	for _, k := range []string{result.AnyProperty, "p1", "p2", "p3", "p4"} {
		r := rates[k]
		out = append(out, f(r.Rate), f(r.Lower), f(r.Upper))
	}
	return append(out, f(rates[result.AnyProperty].Confidence))
}
