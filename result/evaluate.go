package result

import (
	"fmt"
	"strconv"
	"time"

	"github.com/leasesim/leasesim/stats"
)

// SeedOutcome is what one seed's run contributes to the expectations: which properties
// it violated, its metrics (durations in nanoseconds), and whether some check could not
// decide.
type SeedOutcome struct {
	Seed     uint64
	Violated map[string]bool
	Metrics  map[string]float64
	Unknown  bool
}

// ExpectResult is one expectation checked over every seed of a scenario: what was
// wanted, what was seen ("violated by 3/20 seeds", "worst 12.3s"), the seed that decides
// it (the first violating seed; the first seed when a wanted violation never happened;
// the first undecided seed; the worst seed for a bound) and whether it was met. An
// expectation that is neither met nor refuted is Undecided, and says why.
type ExpectResult struct {
	Key     string
	Want    string
	Got     string
	Seed    uint64
	HasSeed bool
	Met     bool
	// Undecided is "" when the expectation was decided (Met says how), else why not:
	// UndecidedSeeds or UndecidedChecks.
	Undecided string
}

// Why an expectation can be left undecided.
const (
	// UndecidedSeeds: the seeds that ran cannot decide it, more would — a violated
	// expectation run with fewer seeds than its scenario's (or one shard of them), a
	// rate whose bound lies inside its interval.
	UndecidedSeeds = "seeds"
	// UndecidedChecks: some seeds' checks could not decide (a porcupine timeout), and
	// without them the property can be neither shown nor refuted.
	UndecidedChecks = "checks"
)

// Effective returns the property expectations that apply: those written, and — when the
// file expects no property to be violated — "holds" for every property it does not
// mention, so that a scenario about availability still fails on a safety violation. A
// file that expects some violation (violated, or a rate of at least some value)
// constrains only the properties it names; a property with a rate expectation is
// judged by its rate, not here. Liveness is
// among the implied ones only when the scenario has a tail (RecoversWithin > 0).
func (e Expect) Effective() map[string]string {
	out := map[string]string{}
	anyViolated := false
	for k, v := range e.Properties {
		out[k] = v
		anyViolated = anyViolated || v == PropViolated
	}
	for _, rb := range e.Rates {
		anyViolated = anyViolated || rb.Op == ">=" || rb.Op == ">"
	}
	if !anyViolated {
		for _, p := range Properties {
			if p == Liveness && e.RecoversWithin == 0 {
				continue
			}
			_, rated := e.Rates[p]
			if _, ok := out[p]; !ok && !rated {
				out[p] = PropHolds
			}
		}
	}
	return out
}

// Evaluate checks every expectation over the outcomes of all seeds of a run that gave
// the scenario just those seeds: EvaluateSeeds(outs, 0).
func (e Expect) Evaluate(outs []SeedOutcome) []ExpectResult {
	return e.EvaluateSeeds(outs, 0)
}

// EvaluateSeeds checks every expectation over the outcomes of the seeds that ran
// (scenarios/FORMAT.md); planned is the number of seeds the whole run gives the
// scenario (all shards together; 0 for len(outs)):
//
//   - holds is met when no seed violates the property and every check decided; a
//     violating seed refutes it, however few seeds ran; a seed whose check was
//     undecided leaves it undecided (UndecidedChecks) unless another seed violates it.
//   - violated is met when some seed violates the property. When none does it is not
//     met if the seeds that ran are all of the scenario's own seeds (Expect.Seeds) and
//     of the planned ones; with fewer (suite --seeds below the file's count, one shard)
//     it is undecided (UndecidedSeeds), as it is when some check could not decide.
//   - a rate is judged on the Clopper–Pearson bounds of the violating seeds among the
//     decided ones: met when they show it, not met when they refute it, undecided
//     (UndecidedSeeds) when the bound lies inside them; Got then says how many seeds in
//     all would decide it at the observed rate. With fewer than the planned seeds (one
//     shard) it is undecided unless the seeds it lacks could not change the verdict.
//   - a bound holds for the worst seed, or for the percentile it names.
//
// With no outcomes nothing is met.
func (e Expect) EvaluateSeeds(outs []SeedOutcome, planned int) []ExpectResult {
	var res []ExpectResult
	eff := e.Effective()
	need := max(e.Seeds, planned, len(outs))
	for _, p := range Properties {
		if rb, ok := e.Rates[p]; ok {
			res = append(res, evaluateRate(rb, outs, planned))
			continue
		}
		want, ok := eff[p]
		if !ok {
			continue
		}
		r := ExpectResult{Key: p, Want: want}
		violated, unknown := countViolations(p, outs, &r)
		r.Got = fmt.Sprintf("violated by %d/%d seeds", violated, len(outs))
		if unknown > 0 {
			r.Got += fmt.Sprintf(", %d undecided", unknown)
		}
		if want == PropViolated {
			r.Met = violated > 0
			switch {
			case r.Met || len(outs) == 0:
			case len(outs) < need:
				r.Undecided = UndecidedSeeds
				r.Got += "; " + seedsToDecideViolated(len(outs), e.Seeds, planned)
			case unknown > 0:
				r.Undecided = UndecidedChecks
			default:
				// Every seed shows the property holding; the first one reproduces that.
				r.Seed, r.HasSeed = outs[0].Seed, true
			}
		} else {
			r.Met = len(outs) > 0 && violated == 0 && unknown == 0
			if !r.Met && violated == 0 && unknown > 0 {
				r.Undecided = UndecidedChecks
				for _, o := range outs {
					if o.Unknown {
						r.Seed, r.HasSeed = o.Seed, true
						break
					}
				}
			}
		}
		res = append(res, r)
	}
	for _, b := range e.Bounds {
		res = append(res, evaluateBound(b, outs))
	}
	return res
}

// countViolations counts the seeds that violate p and those left undecided without
// violating it (liveness never waits on a check), and sets r's seed to the first
// violating one.
func countViolations(p string, outs []SeedOutcome, r *ExpectResult) (violated, unknown int) {
	for _, o := range outs {
		if o.Violated[p] {
			if violated == 0 {
				r.Seed, r.HasSeed = o.Seed, true
			}
			violated++
		} else if o.Unknown && p != Liveness {
			unknown++
		}
	}
	return violated, unknown
}

// seedsToDecideViolated says which seeds would decide a violated expectation that ran
// seeds of them without a violation: the scenario's own, or all the planned ones.
func seedsToDecideViolated(ran, own, planned int) string {
	if planned > ran && planned >= own {
		return fmt.Sprintf("only %s of the run's %s seeds ran here, and all of them decide it (%s merges the shards)", Thousands(ran), Thousands(planned), Command("report"))
	}
	return fmt.Sprintf("the scenario's own %s decide it (suite without --seeds or --for, or --seeds %d)", plural(own, "seed"), own)
}

// evaluateRate judges a rate expectation on the Clopper–Pearson bounds of the seeds
// that violate its property among those whose checks decided. When the outcomes are
// some of the planned seeds (one shard), it decides only what the other seeds cannot
// change: the verdict must be the same whether every seed it lacks violates the
// property or none does; otherwise it is left to the merged counts (UndecidedSeeds).
func evaluateRate(rb RateBound, outs []SeedOutcome, planned int) ExpectResult {
	r := ExpectResult{Key: rb.Property, Want: rb.Want()}
	violated, unknown := countViolations(rb.Property, outs, &r)
	n := len(outs) - unknown
	rate := RateOf(violated, n, rb.Confidence, 0)
	r.Got = rate.Text(rb.Property)
	if len(outs) == 0 {
		return r
	}
	iv := stats.Interval{Lower: rate.Lower, Upper: rate.Upper, Confidence: rb.Confidence}
	decision := stats.Decide(iv, rb.Op, rb.Value)
	if rest := planned - len(outs); rest > 0 && decision != stats.Undecided {
		clean := stats.ClopperPearson(violated, n+rest, rb.Confidence)
		dirty := stats.ClopperPearson(violated+rest, n+rest, rb.Confidence)
		if stats.Decide(clean, rb.Op, rb.Value) != decision || stats.Decide(dirty, rb.Op, rb.Value) != decision {
			r.Undecided = UndecidedSeeds
			r.Seed, r.HasSeed = 0, false
			r.Got += fmt.Sprintf("; only %s of the run's %s seeds ran here, and the rest could change it (%s judges the merged counts)", Thousands(len(outs)), Thousands(planned), Command("report"))
			return r
		}
	}
	switch decision {
	case stats.Shown:
		r.Met = true
	case stats.Refuted:
		if !r.HasSeed {
			// No seed violated: a wanted rate that the seeds refute; the first shows it.
			r.Seed, r.HasSeed = outs[0].Seed, true
		}
	default:
		r.Undecided = UndecidedSeeds
		r.Seed, r.HasSeed = 0, false
		if total := stats.SeedsToDecide(violated, n, rb.Op, rb.Value, rb.Confidence); total > 0 {
			r.Got += fmt.Sprintf("; about %s seeds in all would decide it at the observed rate", Thousands(total))
		} else {
			r.Got += "; the observed rate is the bound, so no number of seeds decides it at that rate"
		}
	}
	return r
}

// evaluateBound checks a metric bound on the worst seed, or on the percentile it names
// (the seed it reports is then the worst one, which breaks the bound too when the
// percentile does).
func evaluateBound(b Bound, outs []SeedOutcome) ExpectResult {
	mt, _ := MetricByKey(b.Metric)
	r := ExpectResult{Key: b.Metric, Want: b.Want()}
	if len(outs) == 0 {
		r.Got = "no seeds"
		return r
	}
	worst, seed := 0.0, uint64(0)
	xs := make([]float64, 0, len(outs))
	for i, o := range outs {
		x := o.Metrics[b.Metric]
		xs = append(xs, x)
		if i == 0 || b.worse(x, worst) {
			worst, seed = x, o.Seed
		}
	}
	r.Seed, r.HasSeed = seed, true
	value := func(x float64) string {
		if mt.Duration {
			return time.Duration(x).String()
		}
		return strconv.FormatFloat(x, 'g', 6, 64)
	}
	if b.Percentile == "" {
		r.Met = b.holds(worst)
		r.Got = "worst " + value(worst)
		return r
	}
	x := percentileOf(b.Percentile, xs)
	r.Met = b.holds(x)
	r.Got = b.Percentile + " " + value(x) + ", worst " + value(worst)
	return r
}
