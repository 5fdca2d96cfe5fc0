package all_test

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/leasesim/leasesim/internal/modeltest"
	"github.com/leasesim/leasesim/stats"
)

// The catalog-level reading of the swarm comparison: how many seeds each mix needs until
// every mutant of the catalog has been found. Trial k of every mutant runs the same seeds
// (k·10000+1, …) under both mixes, so trial k of the catalog is one search of the whole
// catalog over those seeds, and it is done when its slowest mutant is found.

// swarmCatalog is what renderSwarmCatalog computes from the rows.
type swarmCatalog struct {
	// Fixed and Swarm are, per trial, the seeds until every mutant was found (the largest
	// of the trial's seeds to the first finding over the mutants; budget + 1 when one was
	// not found).
	Fixed, Swarm []float64
	// MedFixed, WorstFixed, MedSwarm, WorstSwarm are the median and largest of those
	// over the trials.
	MedFixed, WorstFixed, MedSwarm, WorstSwarm float64
	// MedOfMed and WorstOfMed are the median and largest, over the mutants, of each
	// mutant's median trial: [fixed, swarm].
	MedOfMed, WorstOfMed [2]float64
	// Trials: swarm lower, higher, tied; the one-sided exact sign-test p-value of
	// "swarm is lower" (the chance of at least Lower lower among Lower+Higher trials
	// when either mix is equally likely to be lower).
	Lower, Higher, Tied int
	P                   float64
	// Mutants: swarm's median lower, higher (outside the noise floor), tied or at the
	// floor; and the sign test's p-value over them.
	MutLower, MutHigher, MutTied int
	MutP                         float64
}

// swarmSignificance is the level at which the sign tests' p-values are read.
const swarmSignificance = 0.05

// signTestP is the one-sided exact sign-test p-value of lower successes in lower+higher
// paired comparisons: P(X ≥ lower) for X binomial(lower+higher, 1/2). With no untied
// pair it is 1.
func signTestP(lower, higher int) float64 {
	n := lower + higher
	if n == 0 || lower == 0 {
		return 1
	}
	return distuv.Binomial{N: float64(n), P: 0.5}.Survival(float64(lower - 1))
}

// catalogOf computes the catalog-level figures from the rows (each with trials trials).
func catalogOf(rows []swarmRow, trials int) swarmCatalog {
	var c swarmCatalog
	c.Fixed, c.Swarm = make([]float64, trials), make([]float64, trials)
	var medF, medS []float64
	for _, r := range rows {
		fx, sx := seeds(r.Fixed, swarmBudget), seeds(r.Swarm, swarmBudget)
		for k := 0; k < trials; k++ {
			c.Fixed[k] = max(c.Fixed[k], fx[k])
			c.Swarm[k] = max(c.Swarm[k], sx[k])
		}
		fm, sm := stats.Median(fx), stats.Median(sx)
		medF, medS = append(medF, fm), append(medS, sm)
		lower, floor := compare(fm, sm)
		switch {
		case lower:
			c.MutLower++
		case floor || fm == sm:
			c.MutTied++
		default:
			c.MutHigher++
		}
	}
	for k := 0; k < trials; k++ {
		switch {
		case c.Swarm[k] < c.Fixed[k]:
			c.Lower++
		case c.Swarm[k] > c.Fixed[k]:
			c.Higher++
		default:
			c.Tied++
		}
	}
	c.MedFixed, c.WorstFixed = stats.Median(c.Fixed), slices.Max(c.Fixed)
	c.MedSwarm, c.WorstSwarm = stats.Median(c.Swarm), slices.Max(c.Swarm)
	c.MedOfMed = [2]float64{stats.Median(medF), stats.Median(medS)}
	c.WorstOfMed = [2]float64{slices.Max(medF), slices.Max(medS)}
	c.P = signTestP(c.Lower, c.Higher)
	c.MutP = signTestP(c.MutLower, c.MutHigher)
	return c
}

// seedCount formats a seed count, "> budget" past the budget.
func seedCount(x float64) string {
	if x > swarmBudget {
		return fmt.Sprintf("> %d", swarmBudget)
	}
	return num(x)
}

// lowerOrNot is "lower" when swarm's figure is below the fixed mix's, "equal" when they
// are the same, and "higher" otherwise.
func lowerOrNot(fixed, swarm float64) string {
	switch {
	case swarm < fixed:
		return "lower"
	case swarm == fixed:
		return "equal"
	}
	return "higher"
}

// pValue formats a p-value to two significant digits.
func pValue(p float64) string { return strconv.FormatFloat(p, 'g', 2, 64) }

// significance reads a p-value at swarmSignificance.
func significance(p float64) string {
	if p < swarmSignificance {
		return fmt.Sprintf("below %g: significant at that level", swarmSignificance)
	}
	return fmt.Sprintf("not below %g: not significant at that level", swarmSignificance)
}

// renderSwarmCatalog writes the catalog section of docs/swarm.md: the per-trial table,
// the median and worst trial per mix, the per-mutant medians' median and worst, the sign
// tests, and what holds of "swarm finds every mutant in fewer seeds, median and worst" at
// the catalog level. Every verdict is computed from the figures.
func renderSwarmCatalog(rows []swarmRow, trials int) (string, swarmCatalog) {
	c := catalogOf(rows, trials)
	var b strings.Builder
	fmt.Fprintf(&b, "Per trial, the seeds until every one of the %d mutants had been found (the largest of that\n"+
		"trial's seeds to the first finding over the mutants; trial k runs the same seeds for every\n"+
		"mutant and both mixes, so it is one search of the whole catalog):\n\n", len(rows))
	b.WriteString("| trial | fixed | swarm | swarm |\n|------:|------:|------:|-------|\n")
	for k := 0; k < trials; k++ {
		fmt.Fprintf(&b, "| %d | %s | %s | %s |\n", k, seedCount(c.Fixed[k]), seedCount(c.Swarm[k]), lowerOrNot(c.Fixed[k], c.Swarm[k]))
	}
	b.WriteString("\n| over the catalog | fixed | swarm | swarm is |\n|---|---:|---:|---|\n")
	for _, row := range []struct {
		what         string
		fixed, swarm float64
	}{
		{"seeds until every mutant was found: median trial", c.MedFixed, c.MedSwarm},
		{"seeds until every mutant was found: worst trial", c.WorstFixed, c.WorstSwarm},
		{"a mutant's median trial: median over the mutants", c.MedOfMed[0], c.MedOfMed[1]},
		{"a mutant's median trial: worst over the mutants", c.WorstOfMed[0], c.WorstOfMed[1]},
	} {
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", row.what, seedCount(row.fixed), seedCount(row.swarm), lowerOrNot(row.fixed, row.swarm))
	}
	fmt.Fprintf(&b, "\nPaired over the %d trials, swarm needed fewer seeds to find the whole catalog in %d,\n"+
		"more in %d and as many in %d. Exact sign test (one-sided; under the hypothesis that\n"+
		"either mix is as likely to be the quicker in a trial, ties left out): the chance of\n"+
		"swarm being the quicker in at least %d of %d trials is p = %s, %s.\n",
		trials, c.Lower, c.Higher, c.Tied, c.Lower, c.Lower+c.Higher, pValue(c.P), significance(c.P))
	fmt.Fprintf(&b, "Paired over the %d mutants, swarm's median trial is lower for %d, higher for %d and equal\n"+
		"or at the noise floor for %d: p = %s by the same test, %s.\n",
		len(rows), c.MutLower, c.MutHigher, c.MutTied, pValue(c.MutP), significance(c.MutP))
	return b.String(), c
}

// catalogVerdict states what holds of the issue's "swarm finds every mutant in fewer
// seeds (median and worst) than the fixed mix" at the catalog level, from the figures.
func catalogVerdict(c swarmCatalog) string {
	med, worst := c.MedSwarm < c.MedFixed, c.WorstSwarm < c.WorstFixed
	var b strings.Builder
	switch {
	case med && worst:
		fmt.Fprintf(&b, "Over the whole catalog, swarm found every mutant in fewer seeds than the fixed mix, in\n"+
			"its median trial (%s against %s) and in its worst (%s against %s).",
			seedCount(c.MedSwarm), seedCount(c.MedFixed), seedCount(c.WorstSwarm), seedCount(c.WorstFixed))
	case med:
		fmt.Fprintf(&b, "Over the whole catalog, swarm found every mutant in fewer seeds than the fixed mix in its\n"+
			"median trial (%s against %s), but not in its worst (%s against %s).",
			seedCount(c.MedSwarm), seedCount(c.MedFixed), seedCount(c.WorstSwarm), seedCount(c.WorstFixed))
	case worst:
		fmt.Fprintf(&b, "Over the whole catalog, swarm found every mutant in fewer seeds than the fixed mix in its\n"+
			"worst trial (%s against %s), but not in its median (%s against %s).",
			seedCount(c.WorstSwarm), seedCount(c.WorstFixed), seedCount(c.MedSwarm), seedCount(c.MedFixed))
	default:
		fmt.Fprintf(&b, "Over the whole catalog, swarm did not find every mutant in fewer seeds than the fixed mix:\n"+
			"median trial %s against %s, worst %s against %s.",
			seedCount(c.MedSwarm), seedCount(c.MedFixed), seedCount(c.WorstSwarm), seedCount(c.WorstFixed))
	}
	if c.P < swarmSignificance {
		fmt.Fprintf(&b, "\nTrial by trial it was the quicker in %d of %d, more often than chance explains (p = %s).\n",
			c.Lower, c.Lower+c.Higher, pValue(c.P))
	} else {
		fmt.Fprintf(&b, "\nTrial by trial it was the quicker in %d of %d, which is not more than chance explains at\n"+
			"the %g level (p = %s)", c.Lower, c.Lower+c.Higher, swarmSignificance, pValue(c.P))
		if med || worst {
			fmt.Fprintf(&b, ": the lower figures above may be chance, and these %d trials\n"+
				"do not show swarm to be the quicker on the whole catalog", len(c.Fixed))
		}
		b.WriteString(".\n")
	}
	return b.String()
}

// TestSwarmCatalogVerdict: the catalog figures and the sentences that read them follow
// the numbers, whichever mix is quicker: per trial the slowest mutant counts (a trial that
// found nothing as past the budget), the sign test's p-value is the binomial tail, and
// "fewer seeds" is said only of a figure that is lower.
func TestSwarmCatalogVerdict(t *testing.T) {
	det := func(xs ...int) modeltest.Detection { return modeltest.Detection{SeedsToDetection: xs} }
	row := func(fixed, swarm modeltest.Detection) swarmRow {
		return swarmRow{Protocol: "p", Mutant: "m", Finding: "P1", Fixed: fixed, Swarm: swarm}
	}
	for _, tc := range []struct {
		name               string
		rows               []swarmRow
		lower, higher, tie int
		medF, worstF       float64
		medS, worstS       float64
		p                  float64
		say, notSay        []string
	}{
		{
			name: "swarm quicker in every trial",
			rows: []swarmRow{
				row(det(10, 20, 30, 40), det(5, 10, 15, 20)),
				row(det(50, 1, 1, 1), det(40, 1, 1, 1)),
			},
			lower: 4, medF: 35, worstF: 50, medS: 17.5, worstS: 40, p: 1.0 / 16,
			say:    []string{"swarm found every mutant in fewer seeds than the fixed mix, in\nits median trial (17.5 against 35) and in its worst (40 against 50)", "is not more than chance explains at\nthe 0.05 level (p = 0.062): the lower figures above may be chance"},
			notSay: []string{"did not", "but not"},
		},
		{
			name:  "swarm quicker in six trials of six: significant",
			rows:  []swarmRow{row(det(10, 20, 30, 40, 50, 60), det(1, 2, 3, 4, 5, 6))},
			lower: 6, medF: 35, worstF: 60, medS: 3.5, worstS: 6, p: 1.0 / 64,
			say:    []string{"in\nits median trial (3.5 against 35) and in its worst (6 against 60)", "quicker in 6 of 6, more often than chance explains (p = 0.016)", "p = 0.016, below 0.05: significant"},
			notSay: []string{"may be chance", "did not", "p = 0.016, not below"},
		},
		{
			name: "swarm slower, one trial found nothing",
			rows: []swarmRow{
				row(det(10, 20, 30, 40), det(15, 30, 0, 50)),
				row(det(1, 2, 3, 4), det(1, 2, 3, 4)),
			},
			higher: 4, medF: 25, worstF: 40, medS: 40, worstS: swarmBudget + 1, p: 1,
			say:    []string{"swarm did not find every mutant in fewer seeds than the fixed mix:\nmedian trial 40 against 25, worst > 1000 against 40", "trials is p = 1, not below 0.05: not significant at that level"},
			notSay: []string{"in fewer seeds than the fixed mix, in", "more often than chance"},
		},
		{
			name:  "median lower, worst higher, a tie",
			rows:  []swarmRow{row(det(10, 20, 30, 40, 50), det(5, 10, 30, 35, 90))},
			lower: 3, higher: 1, tie: 1, medF: 30, worstF: 50, medS: 30, worstS: 90, p: 5.0 / 16,
			say:    []string{"did not find every mutant in fewer seeds than the fixed mix:\nmedian trial 30 against 30, worst 90 against 50", "quicker in 3 of 4, which is not more than chance explains at\nthe 0.05 level (p = 0.31)."},
			notSay: []string{"in its median trial", "may be chance"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			trials := len(tc.rows[0].Fixed.SeedsToDetection)
			text, c := renderSwarmCatalog(tc.rows, trials)
			text += catalogVerdict(c)
			if c.Lower != tc.lower || c.Higher != tc.higher || c.Tied != tc.tie {
				t.Errorf("trials lower/higher/tied %d/%d/%d, want %d/%d/%d", c.Lower, c.Higher, c.Tied, tc.lower, tc.higher, tc.tie)
			}
			if c.MedFixed != tc.medF || c.WorstFixed != tc.worstF || c.MedSwarm != tc.medS || c.WorstSwarm != tc.worstS {
				t.Errorf("fixed %g/%g swarm %g/%g, want %g/%g %g/%g", c.MedFixed, c.WorstFixed, c.MedSwarm, c.WorstSwarm, tc.medF, tc.worstF, tc.medS, tc.worstS)
			}
			if math.Abs(c.P-tc.p) > 1e-9 {
				t.Errorf("sign test p = %g, want %g", c.P, tc.p)
			}
			for _, s := range tc.say {
				if !strings.Contains(text, s) {
					t.Errorf("the text lacks %q:\n%s", s, text)
				}
			}
			for _, s := range tc.notSay {
				if strings.Contains(text, s) {
					t.Errorf("the text says %q:\n%s", s, text)
				}
			}
		})
	}
	// The sign test against the binomial tail by hand: 15 of 20 → 21700/2^20.
	if p := signTestP(15, 5); math.Abs(p-21700.0/(1<<20)) > 1e-12 {
		t.Errorf("signTestP(15, 5) = %g, want %g", p, 21700.0/(1<<20))
	}
}
