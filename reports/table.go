package reports

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/leasesim/leasesim/result"
)

// WriteSuiteTable writes the suite's summary table: one row per scenario with its seeds,
// the seeds that violated each property, the bounds on its violation rates (RateCell),
// unavailability p50/p99, and its verdict (Verdict); the expectations that are not met
// or undecided, the rate of every property (RateLines) and the reproduce command of
// each such scenario follow the table.
func WriteSuiteTable(w io.Writer, results []result.ScenarioResult) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SCENARIO\tPROTOCOL\tSEEDS\tVIOLATIONS\tRATE (95% BOUNDS)\tUNAVAIL p50\tUNAVAIL p99\tMAX GAP\tEXPECT")
	failed, met, open := 0, 0, 0
	for _, r := range results {
		if r.Error != "" {
			fmt.Fprintf(tw, "%s\t%s\t-\t-\t-\t-\t-\t-\tERROR\n", r.Scenario, r.Protocol)
			failed++
			continue
		}
		proto := r.Protocol
		if r.Mutant != "" {
			proto += "/" + r.Mutant
		}
		verdict := Verdict(r)
		switch verdict {
		case "met":
			met++
		case "undecided":
			open++
		default:
			failed++
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Scenario, proto, result.Thousands(r.Seeds),
			violationsText(r.Violations, r.Unknown), RateCell(r), pct(r.UnavailableP50), pct(r.UnavailableP99),
			time.Duration(r.MaxGapMaxNs).Round(time.Millisecond), verdict)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if lines := BudgetLines(results); len(lines) > 0 {
		fmt.Fprintf(w, "\n%s\n", strings.Join(lines, "\n"))
	}
	WriteNotMet(w, results)
	summary := fmt.Sprintf("\n%s: %s met, %s not met", Count(len(results), "scenario"), result.Thousands(met), result.Thousands(failed))
	if open > 0 {
		summary += fmt.Sprintf(", %s undecided", result.Thousands(open))
	}
	_, err := fmt.Fprintln(w, summary)
	return err
}

func violationsText(v map[string]int, unknown int) string {
	var keys []string
	for k, n := range v {
		if n > 0 {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, k+":"+result.Thousands(v[k]))
	}
	if unknown > 0 {
		parts = append(parts, "unknown:"+result.Thousands(unknown))
	}
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, " ")
}

// pct is a measured fraction (not a bound) as the tables print it: result.Measured.
func pct(f float64) string { return result.Measured(f) }

// WriteNotMet writes, for every scenario whose expectations are not all met (or that
// could not run), what the suite table's details say: its verdict and file, each
// expectation not met or undecided with what was observed (and, for an undecided one,
// the seeds that would decide it), the rate of every property, and the command that
// reproduces it. Scenarios that met every expectation write nothing.
func WriteNotMet(w io.Writer, results []result.ScenarioResult) {
	for _, r := range results {
		if r.Error != "" {
			fmt.Fprintf(w, "\n%s: %s\n", r.Scenario, r.Error)
			continue
		}
		if r.Met {
			continue
		}
		fmt.Fprintf(w, "\n%s (%s): %s\n", r.Scenario, r.File, Verdict(r))
		for _, e := range r.Expectations {
			switch {
			case e.Undecided != "":
				fmt.Fprintf(w, "  expect %s: %s, undecided: %s\n", e.Key, e.Want, e.Got)
			case !e.Met:
				fmt.Fprintf(w, "  expect %s: %s, got %s\n", e.Key, e.Want, e.Got)
			}
		}
		for _, l := range RateLines(r) {
			fmt.Fprintf(w, "  rate: %s\n", l)
		}
		if r.Reproduce != "" {
			fmt.Fprintf(w, "  reproduce: %s\n", r.Reproduce)
		}
	}
}
