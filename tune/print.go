package tune

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/leasesim/leasesim/result"
)

// Files are where the scenario files of a result were written ("" when not written).
type Files struct {
	BelowBound, Recommended string
}

// WriteJSON prints the result as one JSON object.
func (r *Result) WriteJSON(w io.Writer, f Files) error {
	m := map[string]any{"scenario": r.Scenario, "max_drift_ppm": r.MaxDriftPPM, "max_offset": r.MaxOffset.String(),
		"points": r.Points, "recommended": r.Recommended, "below_bound_file": f.BelowBound, "recommended_file": f.Recommended}
	if r.Rate != nil {
		m["rate_target"], m["undecided"], m["closest"] = r.Rate, r.Undecided, r.Closest
	}
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", b)
	return err
}

// WriteText prints the result for people: every candidate, the measured margin per
// lease, and the recommendation with the commands that check it.
func (r *Result) WriteText(w io.Writer, f Files) {
	fmt.Fprintf(w, "%s: worst clocks for ±%v ppm drift and ±%s offset (Q fast and ahead, holders slow and behind), expiry %s\n\n",
		r.Scenario, r.MaxDriftPPM, r.MaxOffset, r.Expiry)
	tw := tabwriter.NewWriter(w, 2, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "LEASE\tRENEW\tGUARD\tGUARD/BOUND\tVIOLATING SEEDS\tUNAVAIL MEAN\tUNAVAIL P99\tMAX GAP\tISSUER MSG/S")
	for _, p := range r.Points {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%.2f\t%s/%s\t%s\t%s\t%s\t%.1f\n", p.Lease, p.Renew, p.Guard, p.GuardOverBound,
			result.Thousands(p.Violations), result.Thousands(p.Seeds), result.Measured(p.UnavailMean), result.Measured(p.UnavailP99), gapText(p.MaxGapNs), p.IssuerMsgsPerS)
	}
	tw.Flush()
	fmt.Fprintln(w)
	r.writeMargins(w)
	fmt.Fprintln(w)
	if r.Rate != nil {
		r.writeRates(w)
		fmt.Fprintln(w)
	}
	r.writeRecommendation(w, f)
}

// writeMargins prints the measured margin: per lease, the guards that were violated and
// those that were safe.
func (r *Result) writeMargins(w io.Writer) {
	byLease := map[string][]*Point{}
	var order []string
	for _, p := range r.Points {
		if _, seen := byLease[p.Lease]; !seen {
			order = append(order, p.Lease)
		}
		byLease[p.Lease] = append(byLease[p.Lease], p)
	}
	for _, ls := range order {
		var safe, unsafe []string
		for _, p := range byLease[ls] {
			if p.Safe {
				safe = append(safe, fmt.Sprintf("%s (%.2f×)", p.Guard, p.GuardOverBound))
			} else {
				unsafe = append(unsafe, fmt.Sprintf("%s (%.2f×)", p.Guard, p.GuardOverBound))
			}
		}
		fmt.Fprintf(w, "lease %s: violated at guard %s; safe at %s\n", ls, orNone(unsafe), orNone(safe))
	}
}

func (r *Result) writeRecommendation(w io.Writer, f Files) {
	rec := r.Recommended
	if rec == nil && r.Rate != nil {
		r.writeNoneQualifies(w)
		return
	}
	if rec == nil {
		fmt.Fprintln(w, "no candidate is safe on every seed with a guard at or above the bound (or meets the target)")
		return
	}
	fmt.Fprintf(w, "recommended: lease %s, renew %s, guard %s\n", rec.Lease, rec.Renew, rec.Guard)
	rule := "the protocol's guard bound"
	if r.GuardRule != "" {
		rule = r.GuardRule
	}
	fmt.Fprintf(w, "  safety condition: guard >= %s (%s); the recommendation is %.2f× that\n",
		time.Duration(float64(rec.guard)/rec.GuardOverBound).Round(time.Microsecond), rule, rec.GuardOverBound)
	fmt.Fprintf(w, "  measured: mean unavailability %s, p99 %s, longest gap %s, issuer %.1f msg/s over %s seeds\n",
		result.Measured(rec.UnavailMean), result.Measured(rec.UnavailP99), gapText(rec.MaxGapNs), rec.IssuerMsgsPerS, result.Thousands(rec.Seeds))
	if v := rec.Rate; v != nil {
		fmt.Fprintf(w, "  violation rate: %s of %s seeds violated p1, p2 or p4: at most %s per seed at %s (target %s)\n",
			result.Thousands(v.ViolatingSeeds), result.Thousands(v.Seeds), result.PercentUp(v.Upper), confidence(v.Confidence), result.Percent(r.Rate.MaxRate))
	}
	switch {
	case f.Recommended != "" && rec.Rate != nil:
		fmt.Fprintf(w, "  check it: %s   (its rate expectations over its own %s seeds)\n", result.Command("suite", f.Recommended), result.Thousands(rec.Rate.Seeds))
	case f.Recommended != "":
		fmt.Fprintf(w, "  check it: %s\n", result.Command("suite", f.Recommended, "--seeds", "1000"))
	}
	if f.BelowBound != "" {
		fmt.Fprintf(w, "  below the bound: %s   (guard at 3/4 of the bound; expected to overlap)\n", result.Command("suite", f.BelowBound))
	}
}

func orNone(xs []string) string {
	if len(xs) == 0 {
		return "none"
	}
	return strings.Join(xs, ", ")
}

// writeRates prints the rate target and the verdict of each candidate that was decided
// (or left undecided), then how many were not needed or not eligible.
func (r *Result) writeRates(w io.Writer) {
	t := r.Rate
	fmt.Fprintf(w, "violation-rate target: a seed violates p1, p2 or p4 with probability at most %s, shown at %s confidence by the one-sided Clopper–Pearson upper bound; seeds per candidate doubled until decided, at most %s\n",
		result.Percent(t.MaxRate), confidence(t.Confidence), result.Thousands(t.MaxSeeds))
	if r.FirstSeeds > 0 {
		fmt.Fprintf(w, "eligible candidates are decided in the order of preference, ranked on their first %s seeds (the same seeds for each)\n", result.Thousands(r.FirstSeeds))
	}
	counts := map[string]int{}
	for _, p := range r.Points {
		if p.Rate == nil {
			continue
		}
		counts[p.Rate.Decision]++
		if d := p.Rate.Decision; d != Ineligible && d != NotNeeded {
			fmt.Fprintf(w, "candidate %s: %s\n", p.name(), p.Rate.describe())
		}
	}
	if n := counts[NotNeeded]; n > 0 {
		fmt.Fprintf(w, "%s more eligible candidates, ranked after the one that qualified, ran only their first seeds\n", result.Thousands(n))
	}
	if n := counts[Ineligible]; n > 0 {
		fmt.Fprintf(w, "%s candidates are not eligible (a guard below the analytic bound, or the unavailability target missed)\n", result.Thousands(n))
	}
}

// writeNoneQualifies says that no candidate qualifies, which came closest and how many
// seeds would decide it.
func (r *Result) writeNoneQualifies(w io.Writer) {
	if r.Undecided {
		fmt.Fprintf(w, "undecided: no candidate qualifies yet, and some are undecided after %s seeds (--max-seeds)\n", result.Thousands(r.Rate.MaxSeeds))
	} else {
		fmt.Fprintf(w, "no candidate qualifies: none has an upper bound at or below %s at %s\n", result.Percent(r.Rate.MaxRate), confidence(r.Rate.Confidence))
	}
	c := r.Closest
	if c == nil {
		fmt.Fprintln(w, "  no candidate is eligible (a guard at or above the analytic bound, and the unavailability target if one is set)")
		return
	}
	v := c.Rate
	fmt.Fprintf(w, "  closest: %s, %s of %s seeds violated, at most %s per seed at %s\n", c.name(), result.Thousands(v.ViolatingSeeds), result.Thousands(v.Seeds), result.PercentUp(v.Upper), confidence(v.Confidence))
	switch {
	case v.Decision == Rejected:
		fmt.Fprintf(w, "  its rate is at least %s at %s, above the target: more seeds would not make it qualify\n", result.PercentDown(v.Lower), confidence(v.Confidence))
	case v.SeedsToDecide > 0:
		fmt.Fprintf(w, "  about %s seeds in all would decide it if its rate stayed at the observed %s (--max-seeds %d)\n", result.Thousands(v.SeedsToDecide), result.Percent(v.Rate), v.SeedsToDecide)
	default:
		fmt.Fprintf(w, "  no number of seeds would decide it at the observed rate %s (it equals the target)\n", result.Percent(v.Rate))
	}
}

// name names a candidate by its parameters.
func (p *Point) name() string {
	return fmt.Sprintf("lease=%s renew=%s guard=%s", p.Lease, p.Renew, p.Guard)
}

// describe says what a verdict's seeds showed and what it decided.
func (v *RateVerdict) describe() string {
	seen := fmt.Sprintf("%s of %s seeds violated", result.Thousands(v.ViolatingSeeds), result.Thousands(v.Seeds))
	at := confidence(v.Confidence)
	switch v.Decision {
	case Qualifies:
		return fmt.Sprintf("%s, rate ≤ %s at %s: qualifies", seen, result.PercentUp(v.Upper), at)
	case Rejected:
		return fmt.Sprintf("%s, rate ≥ %s at %s: rejected", seen, result.PercentDown(v.Lower), at)
	case NotNeeded:
		return fmt.Sprintf("%s, rate ≤ %s at %s: not needed (a candidate ranked before it qualified)", seen, result.PercentUp(v.Upper), at)
	}
	more := "no number of seeds would decide it at the observed rate"
	if v.SeedsToDecide > 0 {
		more = fmt.Sprintf("about %s seeds would decide it at the observed rate", result.Thousands(v.SeedsToDecide))
	}
	return fmt.Sprintf("%s, rate between %s and %s (each bound at %s): undecided at the cap; %s", seen, result.PercentDown(v.Lower), result.PercentUp(v.Upper), at, more)
}

// gapText is a longest gap for people, to the millisecond as the suite table's MAX GAP
// (`--json` has the exact ns).
func gapText(ns int64) string { return time.Duration(ns).Round(time.Millisecond).String() }

// confidence writes a confidence level as a percentage: "95%", "99.9%".
func confidence(c float64) string { return strconv.FormatFloat(100*c, 'g', 4, 64) + "%" }
