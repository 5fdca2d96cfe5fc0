package main

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/leasesim/leasesim/result"
)

// measured is what a column renders from: a scenario's results over its seeds, and
// whether the scenario has a resource (without one, data safety, P2, does not apply).
type measured struct {
	r        result.ScenarioResult
	resource bool
}

// percent renders a fraction as a percentage with the given decimals: 0.27137 → 27.1%.
func percent(f float64, decimals int) string {
	return strconv.FormatFloat(100*f, 'f', decimals, 64) + "%"
}

// thousands renders x rounded to an integer, with commas between thousands: 1973.7 → 1,974.
func thousands(x float64) string { return result.Thousands(int(math.Round(x))) }

// seconds renders nanoseconds as seconds with one decimal: 3352933268 → 3.4s.
func seconds(ns int64) string {
	return strconv.FormatFloat(float64(ns)/1e9, 'f', 1, 64) + "s"
}

func unavailableP50(decimals int) column {
	return func(m measured) string { return percent(m.r.UnavailableP50, decimals) }
}

func unavailableP99(decimals int) column {
	return func(m measured) string { return percent(m.r.UnavailableP99, decimals) }
}

func longestGap(m measured) string { return seconds(m.r.MaxGapMaxNs) }

func issuerMsgs(m measured) string { return thousands(m.r.IssuerMsgsPerSec) }

func keysP50(m measured) string { return percent(m.r.KeysUnavailableP50, 2) }

func keysP99(m measured) string { return percent(m.r.KeysUnavailableP99, 2) }

// properties are the checked properties in the order violations lists them.
var properties = []string{"p1", "p2", "p3", "p4", "liveness"}

// violations renders the seeds that violated each property: "none", or "P1 on 3/200,
// P4 on 200/200". A property not in properties is listed after them, by name.
func violations(m measured) string {
	var parts []string
	seen := map[string]bool{}
	add := func(k string) {
		if n := m.r.Violations[k]; n > 0 && !seen[k] {
			seen[k] = true
			parts = append(parts, fmt.Sprintf("%s on %d/%d", strings.ToUpper(k), n, m.r.Seeds))
		}
	}
	for _, k := range properties {
		add(k)
	}
	var rest []string
	for k := range m.r.Violations {
		if !seen[k] && m.r.Violations[k] > 0 {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	for _, k := range rest {
		add(k)
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

// property renders one property's outcome: "holds", or "violated on 93/200"; with
// needsResource, "—" for a scenario without a resource (nothing to write to).
func property(kind string, needsResource bool) column {
	return func(m measured) string {
		if needsResource && !m.resource {
			return "—"
		}
		if n := m.r.Violations[kind]; n > 0 {
			return fmt.Sprintf("violated on %d/%d", n, m.r.Seeds)
		}
		return "holds"
	}
}

// render returns the table's block, the lines between its markers: the command that
// measures it, what the expectations said, and the table.
func render(t table, ms map[string]measured) (string, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "Measured with `%s` (%s):\n\n", t.command(), expectationNote(t, ms))
	b.WriteString("| " + strings.Join(t.head, " | ") + " |\n")
	b.WriteString(strings.Repeat("|---", len(t.head)) + "|\n")
	for _, r := range t.rows {
		m, ok := ms[r.scenario]
		if !ok {
			return "", fmt.Errorf("table %s: no results for scenario %s", t.id, r.scenario)
		}
		cells := append([]string{}, r.text...)
		for _, c := range t.cols {
			cells = append(cells, c(m))
		}
		if len(cells) != len(t.head) {
			return "", fmt.Errorf("table %s, row %s: %d cells for %d columns", t.id, r.scenario, len(cells), len(t.head))
		}
		b.WriteString("| " + strings.Join(cells, " | ") + " |\n")
	}
	return b.String(), nil
}

// expectationNote says whether every scenario of the table met its expect: block, and
// names those that did not, or had undecided seeds.
func expectationNote(t table, ms map[string]measured) string {
	var unmet, unknown []string
	for _, name := range t.scenarios() {
		r := ms[name].r
		if !r.Met {
			unmet = append(unmet, "`"+name+"`")
		}
		if r.Unknown > 0 {
			unknown = append(unknown, fmt.Sprintf("`%s` on %d", name, r.Unknown))
		}
	}
	note := "every expectation met"
	if len(unmet) > 0 {
		note = "expectations not met by " + strings.Join(unmet, ", ")
	}
	if len(unknown) > 0 {
		note += "; undecided: " + strings.Join(unknown, ", ")
	}
	return note
}
