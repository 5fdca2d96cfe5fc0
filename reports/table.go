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
// the seeds that violated each property, unavailability p50/p99, and whether its
// expectations were met; unmet expectations and reproduce commands follow the table.
func WriteSuiteTable(w io.Writer, results []result.ScenarioResult) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SCENARIO\tPROTOCOL\tSEEDS\tVIOLATIONS\tUNAVAIL p50\tUNAVAIL p99\tMAX GAP\tEXPECT")
	failed, met := 0, 0
	for _, r := range results {
		if r.Error != "" {
			fmt.Fprintf(tw, "%s\t%s\t-\t-\t-\t-\t-\tERROR\n", r.Scenario, r.Protocol)
			failed++
			continue
		}
		proto := r.Protocol
		if r.Mutant != "" {
			proto += "/" + r.Mutant
		}
		verdict := "met"
		if !r.Met {
			verdict = "NOT MET"
			failed++
		} else {
			met++
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\n", r.Scenario, proto, r.Seeds,
			violationsText(r.Violations, r.Unknown), pct(r.UnavailableP50), pct(r.UnavailableP99),
			time.Duration(r.MaxGapMaxNs).Round(time.Millisecond), verdict)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if lines := BudgetLines(results); len(lines) > 0 {
		fmt.Fprintf(w, "\n%s\n", strings.Join(lines, "\n"))
	}
	for _, r := range results {
		if r.Error != "" {
			fmt.Fprintf(w, "\n%s: %s\n", r.Scenario, r.Error)
			continue
		}
		if r.Met {
			continue
		}
		fmt.Fprintf(w, "\n%s (%s):\n", r.Scenario, r.File)
		for _, e := range r.Expectations {
			if !e.Met {
				fmt.Fprintf(w, "  expect %s: %s, got %s\n", e.Key, e.Want, e.Got)
			}
		}
		if r.Reproduce != "" {
			fmt.Fprintf(w, "  reproduce: %s\n", r.Reproduce)
		}
	}
	_, err := fmt.Fprintf(w, "\n%s: %d met, %d not met\n", Count(len(results), "scenario"), met, failed)
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
		parts = append(parts, fmt.Sprintf("%s:%d", k, v[k]))
	}
	if unknown > 0 {
		parts = append(parts, fmt.Sprintf("unknown:%d", unknown))
	}
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, " ")
}

func pct(f float64) string { return fmt.Sprintf("%.3f%%", 100*f) }
