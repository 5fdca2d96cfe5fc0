package tune

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// Files are where the scenario files of a result were written ("" when not written).
type Files struct {
	BelowBound, Recommended string
}

// WriteJSON prints the result as one JSON object.
func (r *Result) WriteJSON(w io.Writer, f Files) error {
	b, err := json.Marshal(map[string]any{"scenario": r.Scenario, "max_drift_ppm": r.MaxDriftPPM, "max_offset": r.MaxOffset.String(),
		"points": r.Points, "recommended": r.Recommended, "below_bound_file": f.BelowBound, "recommended_file": f.Recommended})
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
		fmt.Fprintf(tw, "%s\t%s\t%s\t%.2f\t%d/%d\t%.4f%%\t%.4f%%\t%s\t%.1f\n", p.Lease, p.Renew, p.Guard, p.GuardOverBound,
			p.Violations, p.Seeds, 100*p.UnavailMean, 100*p.UnavailP99, p.MaxGap, p.IssuerMsgsPerS)
	}
	tw.Flush()
	fmt.Fprintln(w)
	r.writeMargins(w)
	fmt.Fprintln(w)
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
	if rec == nil {
		fmt.Fprintln(w, "no candidate is safe on every seed with a guard at or above the bound (or meets the target)")
		return
	}
	fmt.Fprintf(w, "recommended: lease %s, renew %s, guard %s\n", rec.Lease, rec.Renew, rec.Guard)
	fmt.Fprintf(w, "  safety condition (lease.MinGuard): guard >= lease × ρ")
	if r.Expiry == "timestamp" {
		fmt.Fprintf(w, " + max offset")
	}
	fmt.Fprintf(w, " = %s; the recommendation is %.2f× that\n", time.Duration(float64(rec.guard)/rec.GuardOverBound).Round(time.Microsecond), rec.GuardOverBound)
	fmt.Fprintf(w, "  measured: mean unavailability %.4f%%, p99 %.4f%%, longest gap %s, issuer %.1f msg/s over %d seeds\n",
		100*rec.UnavailMean, 100*rec.UnavailP99, rec.MaxGap, rec.IssuerMsgsPerS, rec.Seeds)
	if f.Recommended != "" {
		fmt.Fprintf(w, "  check it: leasesim suite %s --seeds 1000\n", f.Recommended)
	}
	if f.BelowBound != "" {
		fmt.Fprintf(w, "  below the bound: leasesim suite %s   (guard at 3/4 of the bound; expected to overlap)\n", f.BelowBound)
	}
}

func orNone(xs []string) string {
	if len(xs) == 0 {
		return "none"
	}
	return strings.Join(xs, ", ")
}
