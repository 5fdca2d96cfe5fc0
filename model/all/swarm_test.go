package all_test

import (
	"flag"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/internal/modeltest"
	"github.com/leasesim/leasesim/model"
	"github.com/leasesim/leasesim/stats"
)

// The swarm comparison: for every mutant, its catalog scenario's clocks and parameters
// under the random schedule of TestMutantsAreCaught (randomized), once with the fixed mix
// and once with swarm: true, over the same trials and the same seeds. It runs thousands
// of seeds, so only with -update (which rewrites docs/swarm.md) or LEASESIM_LONG (which
// compares it); TestSwarmTableStructure checks on every run that the table lists every
// mutant.
const (
	swarmTrials = 20
	swarmBudget = 1000
)

// swarmTablePath is the generated comparison, relative to this package.
const swarmTablePath = "../../docs/swarm.md"

// swarmCommand regenerates docs/swarm.md.
const swarmCommand = "go test -count=1 -timeout 2h -run TestSwarmFindsMutants ./model/all/ -update"

// swarmMeasure runs the comparison on whichever mutants -run selects, with
// -swarm-trials trials, and logs its table without comparing or writing docs/swarm.md:
// for trying a change to the swarm rule on a few mutants before the full -update.
var (
	swarmMeasure       = flag.Bool("swarm-measure", false, "run TestSwarmFindsMutants on the mutants -run selects and log the table, without comparing or writing docs/swarm.md")
	swarmMeasureTrials = flag.Int("swarm-trials", swarmTrials, "trials per mutant and mix with -swarm-measure")
)

// swarmRow is one mutant measured under both mixes.
type swarmRow struct {
	Protocol, Mutant, Finding string
	Fixed, Swarm              modeltest.Detection
}

// TestSwarmFindsMutants measures seeds to the first finding for every mutant under the
// fixed random mix and under swarm, and compares docs/swarm.md with it (-update rewrites
// it). A trial that finds nothing within the budget is a figure of the table ("> 1000"),
// not a failure: the table reports what each mix does, whichever wins.
func TestSwarmFindsMutants(t *testing.T) {
	if !*update && !modeltest.Long() && !*swarmMeasure {
		t.Skipf("runs %d trials of up to %d seeds per mutant and mix: only with -update (%s), LEASESIM_LONG=1 or -swarm-measure", swarmTrials, swarmBudget, swarmCommand)
	}
	nTrials := swarmTrials
	if *swarmMeasure {
		nTrials = *swarmMeasureTrials
	}
	if modeltest.Race() {
		t.Skip("the comparison's figures are measured without -race")
	}
	var rows []swarmRow
	total := 0
	for _, p := range model.Protocols() {
		total += len(p.Mutants)
		for _, mu := range p.Mutants {
			name := "mutant-" + p.Name + "-" + mu.Name
			t.Run(name, func(t *testing.T) {
				sc := modeltest.Catalog(t, name)
				kind := checker.Kind(mu.Breaks)
				fixed := randomized(sc)
				fd := modeltest.Detect(t, fixed, kind, nTrials, swarmBudget)
				sd := modeltest.Detect(t, fixed.WithSwarm(), kind, nTrials, swarmBudget)
				t.Logf("fixed %v\nswarm %v", fd.SeedsToDetection, sd.SeedsToDetection)
				rows = append(rows, swarmRow{Protocol: p.Name, Mutant: mu.Name, Finding: strings.ToUpper(string(kind)), Fixed: fd, Swarm: sd})
			})
		}
	}
	if *swarmMeasure {
		// A trial run: any -run subset, any number of trials; logged, not compared.
		table, _ := renderSwarmRows(rows, nTrials)
		catalog, c := renderSwarmCatalog(rows, nTrials)
		t.Logf("\n%s\n%s\n%s", table, catalog, catalogVerdict(c))
		return
	}
	if len(rows) != total || t.Failed() {
		if *update {
			t.Errorf("-update needs every mutant measured and caught: %d of %d were", len(rows), total)
		}
		return
	}
	got := renderSwarmTable(rows)
	t.Logf("\n%s", got)
	if *update {
		if err := os.WriteFile(swarmTablePath, []byte(got), 0o644); err != nil {
			t.Fatalf("writing %s: %v", swarmTablePath, err)
		}
		t.Logf("wrote %s", swarmTablePath)
		return
	}
	data, err := os.ReadFile(swarmTablePath)
	if err != nil {
		t.Fatalf("reading the committed swarm table: %v (create it with %s)", err, swarmCommand)
	}
	if string(data) != got {
		t.Errorf("docs/swarm.md differs from what this run measured; regenerate it with %s\n%s", swarmCommand, firstDiff(string(data), got))
	}
}

// seeds returns a detection's seeds to the first finding per trial, a trial that found
// nothing counting as the budget + 1.
func seeds(d modeltest.Detection, budget int) []float64 {
	var xs []float64
	for _, s := range d.SeedsToDetection {
		if s == 0 {
			s = budget + 1
		}
		xs = append(xs, float64(s))
	}
	return xs
}

// worst formats a detection's largest seed count; "> budget" when a trial found nothing.
func worst(d modeltest.Detection, budget int) string {
	w := slices.Max(seeds(d, budget))
	if w > float64(budget) {
		return fmt.Sprintf("> %d", budget)
	}
	return strconv.FormatFloat(w, 'f', -1, 64)
}

// swarmFloor is the noise floor of the comparison: a median or worst trial of at most
// this many seeds under both mixes is a tie whichever is lower (a mutant found in the
// first seed or three differs between mixes by which seeds happen to come first).
const swarmFloor = 3

// swarmSummary counts, over the rows, how swarm's median and worst trial compare with
// the fixed mix's: lower, at the noise floor (both at most swarmFloor) or higher; the
// seeds of all trials under each mix; and the mutants where swarm is higher.
type swarmSummary struct {
	MedLower, MedFloor, WorstLower, WorstFloor int
	SumFixed, SumSwarm                         float64
	Higher                                     []string // "protocol mutant (median)" or "(worst)" or both
	// By the rate of findings per seed (trials that found / seeds run), with exact
	// intervals (each end a one-sided 95% bound): the mutants whose swarm interval lies wholly above the fixed mix's, and
	// wholly below it.
	RateHigher, RateLower []string
}

// findingRate is a detection's rate of findings per seed run with its exact interval
// (each end a one-sided 95% bound): the trials that found, over the seeds the trials ran (a trial runs seeds up to
// its first finding, or its whole budget).
func findingRate(d modeltest.Detection) stats.Interval {
	k, n := 0, 0
	for _, s := range d.SeedsToDetection {
		if s == 0 {
			n += swarmBudget
			continue
		}
		k++
		n += s
	}
	return stats.ClopperPearson(k, n, 0.95)
}

// compare sorts one pair of figures into lower, floor or higher.
func compare(fixed, swarm float64) (lower, floor bool) {
	switch {
	case fixed <= swarmFloor && swarm <= swarmFloor:
		return false, true
	case swarm < fixed:
		return true, false
	}
	return false, false
}

// renderSwarmRows writes the table of the rows and the sentence that counts them.
func renderSwarmRows(rows []swarmRow, trials int) (string, swarmSummary) {
	var b strings.Builder
	var sm swarmSummary
	b.WriteString("| protocol | mutant | finding | fixed: median | fixed: worst | swarm: median | swarm: worst | seeds, all trials (fixed → swarm) |\n")
	b.WriteString("|----------|--------|---------|-----:|-----:|-----:|-----:|-----:|\n")
	for _, r := range rows {
		fx, sx := seeds(r.Fixed, swarmBudget), seeds(r.Swarm, swarmBudget)
		fm, smed := stats.Median(fx), stats.Median(sx)
		fw, sw := slices.Max(fx), slices.Max(sx)
		ft, st := sum(fx), sum(sx)
		sm.SumFixed, sm.SumSwarm = sm.SumFixed+ft, sm.SumSwarm+st
		var higher []string
		lower, floor := compare(fm, smed)
		switch {
		case lower:
			sm.MedLower++
		case floor:
			sm.MedFloor++
		default:
			higher = append(higher, "median")
		}
		lower, floor = compare(fw, sw)
		switch {
		case lower:
			sm.WorstLower++
		case floor:
			sm.WorstFloor++
		default:
			higher = append(higher, "worst")
		}
		if len(higher) > 0 {
			sm.Higher = append(sm.Higher, fmt.Sprintf("%s %s (%s)", r.Protocol, r.Mutant, strings.Join(higher, ", ")))
		}
		fi, si := findingRate(r.Fixed), findingRate(r.Swarm)
		switch {
		case si.Lower > fi.Upper:
			sm.RateHigher = append(sm.RateHigher, r.Protocol+" "+r.Mutant)
		case si.Upper < fi.Lower:
			sm.RateLower = append(sm.RateLower, r.Protocol+" "+r.Mutant)
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s | %s → %s |\n", r.Protocol, r.Mutant, r.Finding,
			num(fm), worst(r.Fixed, swarmBudget), num(smed), worst(r.Swarm, swarmBudget), num(ft), num(st))
	}
	n := len(rows)
	fmt.Fprintf(&b, "\nOver the %d mutants (%d trials each), swarm's median is lower for %d, at the noise floor (at most %d seeds\n", n, trials, sm.MedLower, swarmFloor)
	fmt.Fprintf(&b, "under both mixes) for %d and not lower for %d; its worst trial is lower for %d, at the noise floor\n", sm.MedFloor, n-sm.MedLower-sm.MedFloor, sm.WorstLower)
	fmt.Fprintf(&b, "for %d and not lower for %d. All trials together ran %s seeds to their first finding with\n", sm.WorstFloor, n-sm.WorstLower-sm.WorstFloor, num(sm.SumFixed))
	fmt.Fprintf(&b, "the fixed mix and %s with swarm.\n", num(sm.SumSwarm))
	fmt.Fprintf(&b, "\nBy the rate of findings per seed (trials that found, over the seeds they ran; exact\n"+
		"intervals, each end a one-sided 95%% bound), swarm's is clearly higher (the intervals do\n"+
		"not overlap) for %d of the mutants%s and clearly lower for %d%s; for the other %d the\n"+
		"two intervals overlap.\n",
		len(sm.RateHigher), listed(sm.RateHigher), len(sm.RateLower), listed(sm.RateLower), n-len(sm.RateHigher)-len(sm.RateLower))
	return b.String(), sm
}

// renderSwarmTable writes docs/swarm.md from the rows, in registry order.
func renderSwarmTable(rows []swarmRow) string {
	var b strings.Builder
	b.WriteString("# Swarm faults against the fixed mix, on the mutant catalog\n\n")
	fmt.Fprintf(&b, "<!-- Generated by `%s`; do not edit by hand. LEASESIM_LONG=1 go test -run TestSwarmFindsMutants ./model/all/ fails when this file differs from what it measures. -->\n\n", swarmCommand)
	fmt.Fprintf(&b, `For every protocol mutant (docs/mutants.md), its catalog scenario's clocks, network and
parameters with the faults replaced by one random schedule of every network and process
fault kind (partition, cut, cut_oneway, isolate, crash, issuer_crash, pause, slow, lossy,
reorder; a fault every 10s on average, lasting 6s on average), run two ways over the same
seeds:

- **fixed**: every seed draws faults of every kind at the same rates (`+"`random:`"+` as written);
- **swarm**: `+"`swarm: true`"+` (or `+"`--swarm`"+`): each seed first draws which kinds are on
  (each with probability 1/2, at least one); a kind that is on comes at twice its
  fixed-mix rate — so each kind comes as often as in the fixed mix on average over seeds,
  whichever others are on — with a mean length log-uniform between half and twice the
  configured one; and the network's delays are scaled by a factor log-uniform between
  1/4 and 4. scenarios/FORMAT.md (random, swarm) gives the rule and why.

Each mix runs %d trials of at most %d seeds (trial k uses seeds k·10000+1, …; the same
seeds for both mixes). Seeds to the first finding = how many seeds ran up to and
including the first that violates the mutant's property; a trial that finds nothing
counts as %d (shown as "> %d"). Median and worst are over the %d trials.

`, swarmTrials, swarmBudget, swarmBudget+1, swarmBudget, swarmTrials)
	table, sm := renderSwarmRows(rows, swarmTrials)
	b.WriteString("## Per mutant\n\n")
	b.WriteString(table)
	catalog, c := renderSwarmCatalog(rows, swarmTrials)
	b.WriteString("\n## The whole catalog\n\n")
	b.WriteString(catalog)
	b.WriteString("\n## Reading the figures\n\n")
	b.WriteString(catalogVerdict(c))
	b.WriteString("\n")
	if len(sm.Higher) == 0 && sm.SumSwarm < sm.SumFixed {
		b.WriteString("Mutant by mutant, too, swarm found every one in fewer seeds than the fixed mix, median and\n" +
			"worst trial, except at the noise floor, and in fewer seeds over all trials.\n")
	} else {
		fmt.Fprintf(&b, "Mutant by mutant, swarm did not find every one in fewer seeds than the fixed mix. Outside the\n"+
			"noise floor its median or worst trial is not lower for %d mutants:\n\n", len(sm.Higher))
		for _, h := range sm.Higher {
			fmt.Fprintf(&b, "- %s\n", h)
		}
		if sm.SumSwarm >= sm.SumFixed {
			b.WriteString("\nOver all trials it ran no fewer seeds.\n")
		}
	}
	b.WriteString(swarmReading)
	if sm.SumSwarm < sm.SumFixed {
		fmt.Fprintf(&b, "\nSo prefer swarm for searching (over the catalog it took %.0f%% of the fixed mix's seeds),\n"+
			"and keep running the catalog's scenarios as written (the fixed mix) too: for some\n"+
			"mutants it is the quicker.\n", 100*sm.SumSwarm/sm.SumFixed)
	} else {
		b.WriteString("\nSo swarm does not replace the fixed mix here: over the catalog it took more seeds. Run\n" +
			"both where seeds are cheap.\n")
	}
	return b.String()
}

// listed formats names as " (a, b)", or "" for none.
func listed(names []string) string {
	if len(names) == 0 {
		return ""
	}
	return " (" + strings.Join(names, ", ") + ")"
}

func sum(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s
}

func num(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// swarmReading is the part of the prose that does not depend on the figures.
const swarmReading = `
What the rule changes and what it cannot. Each kind that is on comes at twice its
fixed-mix rate, so over seeds every kind, and every set of kinds a bug needs together,
comes as often as in the fixed mix; what swarm adds is seeds
in which the kinds that would mask a bug are off, and seeds whose network is slower or
faster than written. The network's scale is aimed at the three mutants that count a
lease from a reply's arrival (etcd holder-counts-from-receipt, lease
count-from-grant-receipt, redlock validity-from-reply), which need a late reply when a
disconnect comes; the table shows, for each, whether it helped. The rule before
this one (the kinds that are on sharing the configured total rate, as Groce et al. do,
network as written) took more seeds than the fixed mix on this catalog, 18,262 against
17,649, and lost most on those three: a pair of kinds, both on in a quarter of the seeds
at about 1/6 of the rate each instead of 1/10, came about 0.7 times as often.

Why "fewer seeds for every mutant, median and worst" is not what a swarm rule can be
expected to show here: a mutant that one fault of any of several common kinds exposes is
found with a chance that grows less than linearly in their rate, and moving faults from
some seeds to others (which is what swarm does) lowers its average chance (Jensen's
inequality) — the price of the seeds in which a masking kind is off. And a worst trial is
the largest of 20 draws of a geometric count: when both mixes found a mutant with the same
chance per seed, either has the larger worst trial about half the time, so a column of
worst trials compares mixes only where they differ by much more than that noise.
`

// TestSwarmTableStructure: docs/swarm.md lists every registered mutant, in registry
// order, with its finding, so that a mutant added or renamed without regenerating the
// comparison is caught by the ordinary test run.
func TestSwarmTableStructure(t *testing.T) {
	data, err := os.ReadFile(swarmTablePath)
	if err != nil {
		t.Fatalf("reading %s: %v (create it with %s)", swarmTablePath, err, swarmCommand)
	}
	var want, got []string
	for _, p := range model.Protocols() {
		for _, mu := range p.Mutants {
			want = append(want, p.Name+" "+mu.Name+" "+strings.ToUpper(mu.Breaks))
		}
	}
	for _, l := range strings.Split(string(data), "\n") {
		cells := strings.Split(strings.Trim(l, "|"), "|")
		if !strings.HasPrefix(l, "| ") || len(cells) != 8 || strings.Contains(l, "median") {
			continue
		}
		got = append(got, strings.TrimSpace(cells[0])+" "+strings.TrimSpace(cells[1])+" "+strings.TrimSpace(cells[2]))
	}
	if !slices.Equal(got, want) {
		t.Errorf("%s lists mutants %q; the registry has %q: regenerate it with %s", swarmTablePath, got, want, swarmCommand)
	}
}
