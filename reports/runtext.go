package reports

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/result"
)

// WriteRunText writes one run for people (`leasesim run`, `check`, `replay`): the
// verdict, each finding, the metrics and how each property was checked. Fractions are
// printed as the suite table prints them (result.Measured: three decimals of a percent),
// counts with thousands separators (Count); `--json` keeps the exact values.
func WriteRunText(w io.Writer, r result.RunResult, checks checker.Checks) {
	name := r.Scenario
	if r.Mutant != "" {
		name += " (mutant " + r.Mutant + ")"
	}
	fmt.Fprintf(w, "%s  protocol %s  seed %d  trace %s\n", name, r.Protocol, r.Seed, r.TraceHash)
	fmt.Fprintf(w, "verdict: %s\n", strings.ToUpper(string(r.Verdict)))
	for _, f := range r.Findings {
		fmt.Fprintf(w, "  %s %s [%s, %s) %s\n", strings.ToUpper(string(f.Kind)), strings.Join(f.Holders, ","),
			runDur(f.From), runDur(f.To), f.Detail)
	}
	m := r.Metrics
	fmt.Fprintf(w, "unavailable %s (%s total, longest gap %s), leader changes %s, %s, %s, issuer %.1f msg/s\n",
		result.Measured(m.UnavailableFraction), runDur(m.UnavailableNs), runDur(m.MaxGapNs), result.Thousands(m.LeaderChanges),
		Count(int(m.Events), "event"), Count(int(m.Messages), "message"), m.IssuerMsgsPerSec)
	type named struct {
		name string
		c    checker.PropertyCheck
	}
	all := []named{{"p1", checks.P1}, {"p2", checks.P2}, {"p3", checks.P3}, {"p4", checks.P4}}
	if checks.Liveness != nil {
		all = append(all, named{"liveness", *checks.Liveness})
	}
	for _, p := range all {
		line := fmt.Sprintf("  %s %s by %s over %s", p.name, p.c.Status, p.c.Method, Count(p.c.Items, "item"))
		if p.c.Partitions > 0 {
			line += " (" + Count(p.c.Partitions, "porcupine partition") + ")"
		}
		if p.c.Note != "" {
			line += ": " + p.c.Note
		}
		fmt.Fprintln(w, line)
	}
}

// runDur is a time in a run, to the microsecond.
func runDur(ns int64) string { return time.Duration(ns).Round(time.Microsecond).String() }
