package main

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/result"
)

// figure specifies one generated figure in the README's prose: the words between the
// inline markers <!-- fig:ID --> and <!-- /fig -->, rendered from one built-in
// scenario run over seeds seeds. What a figure renders states its seed count and, unless
// noCommand, ends with the command that measures it, in the parenthesis the words end
// with or a new one, so that a sentence never states one seed count and measures
// another.
type figure struct {
	// id names the figure in its markers and in -only.
	id string
	// file is the markdown file that holds the markers, relative to the repository root.
	file string
	// scenario is the built-in scenario measured, seeds its seed count.
	scenario string
	seeds    int
	// text renders the measured words from the scenario's results.
	text func(m measured) (string, error)
	// noCommand leaves the command out, for a figure whose sentence names the run.
	noCommand bool
}

// command is the leasesim command line that measures the figure.
func (f figure) command() string {
	return fmt.Sprintf("leasesim suite %s --seeds %d", f.scenario, f.seeds)
}

// render is what goes between the figure's markers.
func (f figure) render(m measured) (string, error) {
	s, err := f.text(m)
	if err != nil {
		return "", fmt.Errorf("figure %s: %w", f.id, err)
	}
	if f.noCommand {
		return s, nil
	}
	if strings.HasSuffix(s, ")") { // "79 of 100 seeds (up to 900ms, `leasesim …`)"
		return s[:len(s)-1] + ", `" + f.command() + "`)", nil
	}
	return s + " (`" + f.command() + "`)", nil
}

// figures are every generated figure of the prose, in the order they are measured.
var figures = []figure{
	{id: "count-from-grant-receipt", file: "README.md", scenario: "mutant-lease-count-from-grant-receipt", seeds: 1, noCommand: true,
		// The space-time diagram's run: seed 1, as scripts/readme-figures.sh draws it.
		text: func(m measured) (string, error) {
			w, _, err := findingWidths(m, checker.P1)
			if err != nil {
				return "", err
			}
			return strconv.FormatFloat(float64(w)/1e9, 'f', 1, 64) + "s", nil
		}},
	{id: "k8s-random-pauses", file: "README.md", scenario: "k8s-random-pauses", seeds: 1000,
		text: func(m measured) (string, error) {
			r, ok := m.r.Rates[string(checker.P1)]
			if !ok {
				return "", fmt.Errorf("%s: no P1 rate", m.r.Scenario)
			}
			return fmt.Sprintf("%s of %s five-minute runs (%s: at least %s and at most %s, each bound at %s)",
				result.Thousands(r.ViolatingSeeds), result.Thousands(r.Seeds), result.Percent(r.Rate),
				result.PercentDown(r.Lower), result.PercentUp(r.Upper), result.Percent(r.Confidence)), nil
		}},
	{id: "etcd-min-ttl", file: "README.md", scenario: "etcd-min-ttl", seeds: 200,
		text: func(m measured) (string, error) {
			var gaps []int64
			for _, run := range m.r.Runs {
				for _, f := range run.Metrics.Failovers {
					gaps = append(gaps, f.GapNs)
				}
			}
			if len(gaps) == 0 {
				return "", fmt.Errorf("%s: no failover in %d seeds", m.r.Scenario, m.r.Seeds)
			}
			return fmt.Sprintf("%s–%ss failover gap (%s seeds)", secs2(slices.Min(gaps)), secs2(slices.Max(gaps)), result.Thousands(m.r.Seeds)), nil
		}},
	{id: "etcd-client-etcd-go", file: "README.md", scenario: "etcd-client-etcd-go", seeds: 100,
		text: func(m measured) (string, error) {
			_, widest, err := findingWidths(m, checker.P1)
			if err != nil {
				return "", err
			}
			return fmt.Sprintf("%d of %s seeds (up to %s)", m.r.Violations[string(checker.P1)], result.Thousands(m.r.Seeds),
				time.Duration(widest).Round(time.Millisecond)), nil
		}},
	{id: "etcd-client-careful", file: "README.md", scenario: "etcd-client-careful", seeds: 100,
		text: func(m measured) (string, error) {
			if n := m.r.Violations[string(checker.P1)]; n > 0 {
				return fmt.Sprintf("does in %d of %s seeds", n, result.Thousands(m.r.Seeds)), nil
			}
			return fmt.Sprintf("never does (0 of %s seeds)", result.Thousands(m.r.Seeds)), nil
		}},
}

// secs2 renders nanoseconds as seconds with two decimals, without the unit: 1.73.
func secs2(ns int64) string { return strconv.FormatFloat(float64(ns)/1e9, 'f', 2, 64) }

// findingWidths returns the width of the first finding of kind k in the first seed and
// the widest over every seed (an open finding counts to the run's end); an error when no
// seed has one.
func findingWidths(m measured, k checker.Kind) (first, widest int64, err error) {
	found := false
	for _, run := range m.r.Runs {
		for _, f := range run.Findings {
			if f.Kind != k {
				continue
			}
			w := f.To - f.From
			if f.To >= m.r.DurationNs || f.To < f.From {
				w = max(m.r.DurationNs-f.From, 0)
			}
			if !found {
				first, found = w, true
			}
			widest = max(widest, w)
		}
	}
	if !found {
		return 0, 0, fmt.Errorf("%s: no %s finding in %d seeds", m.r.Scenario, k, m.r.Seeds)
	}
	return first, widest, nil
}

// figureByID returns the figure named id.
func figureByID(id string) (figure, bool) {
	for _, f := range figures {
		if f.id == id {
			return f, true
		}
	}
	return figure{}, false
}
