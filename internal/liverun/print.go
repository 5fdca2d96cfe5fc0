package liverun

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/leasesim/leasesim/live"
)

// PrintTrial prints one trial's line: the verdict, the belief overlaps (expected) with
// their widths, and each judged finding on a line of its own.
func PrintTrial(w io.Writer, r live.TrialResult) {
	widths := make([]string, 0, len(r.BeliefOverlaps))
	for _, b := range r.BeliefOverlaps {
		widths = append(widths, fmt.Sprintf("%.0fms", b.MS))
	}
	belief := "none"
	if len(widths) > 0 {
		belief = fmt.Sprintf("%d expected (%s)", len(widths), strings.Join(widths, ", "))
	}
	fmt.Fprintf(w, "trial %d seed %d: %s  belief overlaps %s, effective overlaps %d, leader changes %d, writes %d accepted / %d rejected\n",
		r.Trial, r.Seed, strings.ToUpper(r.Verdict), belief, len(r.EffectiveOverlaps), r.LeaderChanges, r.AcceptedWrites, r.RejectedWrites)
	for _, f := range judged(r) {
		fmt.Fprintf(w, "  %s %s: %s\n", strings.ToUpper(string(f.Kind)), strings.Join(f.Holders, ","), f.Detail)
	}
	if r.Verdict == live.VerdictUnknown {
		fmt.Fprintf(w, "  undecided: p1 %s, p3 %s\n", r.Check.Checks.P1.Note, r.Check.Checks.P3.Note)
	}
	for _, n := range r.Notes {
		fmt.Fprintf(w, "  note: %s\n", n)
	}
}

// summaryRow is one row of the summary table: its name and how each source shows it.
type summaryRow struct {
	name string
	f    func(s live.Summary) string
}

func ms(v float64) string { return time.Duration(v * 1e6).Round(time.Millisecond).String() }

// summaryRows are the rows of PrintSummary's table.
var summaryRows = []summaryRow{
	{"trials", func(s live.Summary) string { return fmt.Sprint(s.Trials) }},
	{"violating trials", func(s live.Summary) string { return s.Violating.String() }},
	{"with a belief overlap", func(s live.Summary) string { return s.BeliefOverlap.String() }},
	{"belief overlap width", func(s live.Summary) string {
		if s.BeliefOverlaps == 0 {
			return "-"
		}
		return fmt.Sprintf("mean %s, widest %s", ms(s.MeanBeliefOverlapMS), ms(s.MaxBeliefOverlapMS))
	}},
	{"failover gap", func(s live.Summary) string {
		if s.Failovers == 0 {
			return "-"
		}
		return fmt.Sprintf("%s to %s (%d)", ms(s.MinFailoverMS), ms(s.MaxFailoverMS), s.Failovers)
	}},
	{"longest unavailable", func(s live.Summary) string { return ms(s.MaxGapMS) }},
	{"effective overlaps", func(s live.Summary) string { return s.EffectiveOverlaps.String() }},
	{"other judged findings", otherFindings},
	{"writes refused by the fence", func(s live.Summary) string { return fmt.Sprint(s.RejectedWrites) }},
	{"stale writes accepted", func(s live.Summary) string { return fmt.Sprint(s.AcceptedStaleWrites) }},
}

// otherFindings is "p3: 1, p4: 20", by property, or "none".
func otherFindings(s live.Summary) string {
	if len(s.Other) == 0 {
		return "none"
	}
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(s.Other)) {
		parts = append(parts, fmt.Sprintf("%s: %d", k, s.Other[k]))
	}
	return strings.Join(parts, ", ")
}

// PrintSummary prints the trials' summary, one column per source (real etcd, and the
// simulated model under the same plan when the scenario is an etcd one).
func PrintSummary(w io.Writer, ss []live.Summary) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprint(tw, "\nsummary")
	for _, s := range ss {
		fmt.Fprintf(tw, "\t%s", s.Source)
	}
	fmt.Fprintln(tw)
	for _, r := range summaryRows {
		fmt.Fprint(tw, r.name)
		for _, s := range ss {
			fmt.Fprintf(tw, "\t%s", r.f(s))
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
}
