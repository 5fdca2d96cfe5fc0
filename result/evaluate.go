package result

import (
	"fmt"
	"strconv"
	"time"
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
// the first undecided seed; the worst seed for a bound) and whether it was met.
type ExpectResult struct {
	Key     string
	Want    string
	Got     string
	Seed    uint64
	HasSeed bool
	Met     bool
}

// Effective returns the property expectations that apply: those written, and — when the
// file expects no property to be violated — "holds" for every property it does not
// mention, so that a scenario about availability still fails on a safety violation. A
// file that expects some violation constrains only the properties it names. Liveness is
// among the implied ones only when the scenario has a tail (RecoversWithin > 0).
func (e Expect) Effective() map[string]string {
	out := map[string]string{}
	anyViolated := false
	for k, v := range e.Properties {
		out[k] = v
		anyViolated = anyViolated || v == PropViolated
	}
	if !anyViolated {
		for _, p := range Properties {
			if p == Liveness && e.RecoversWithin == 0 {
				continue
			}
			if _, ok := out[p]; !ok {
				out[p] = PropHolds
			}
		}
	}
	return out
}

// Evaluate checks every expectation over the outcomes of all seeds (scenarios/FORMAT.md):
// "violated" is met when at least one seed violates the property, "holds" when none
// does; a bound must hold for the worst seed. With no outcomes nothing is met. A seed
// whose check was undecided counts as neither holding nor violating: "holds" is then not
// met, since it could not be shown.
func (e Expect) Evaluate(outs []SeedOutcome) []ExpectResult {
	var res []ExpectResult
	eff := e.Effective()
	for _, p := range Properties {
		want, ok := eff[p]
		if !ok {
			continue
		}
		r := ExpectResult{Key: p, Want: want}
		violated, unknown := 0, 0
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
		r.Got = fmt.Sprintf("violated by %d/%d seeds", violated, len(outs))
		if unknown > 0 {
			r.Got += fmt.Sprintf(", %d undecided", unknown)
		}
		if want == PropViolated {
			r.Met = violated > 0
			if !r.Met && len(outs) > 0 {
				// Every seed shows the property holding; the first one reproduces that.
				r.Seed, r.HasSeed = outs[0].Seed, true
			}
		} else {
			r.Met = len(outs) > 0 && violated == 0 && unknown == 0
			if !r.Met && !r.HasSeed {
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
		mt, _ := MetricByKey(b.Metric)
		r := ExpectResult{Key: b.Metric, Want: b.Op + " " + b.Text}
		worst, seed, have := 0.0, uint64(0), false
		for _, o := range outs {
			x := o.Metrics[b.Metric]
			if !have || b.worse(x, worst) {
				worst, seed, have = x, o.Seed, true
			}
		}
		if have {
			r.Seed, r.HasSeed = seed, true
			r.Met = b.holds(worst)
			if mt.Duration {
				r.Got = "worst " + time.Duration(worst).String()
			} else {
				r.Got = "worst " + strconv.FormatFloat(worst, 'g', 6, 64)
			}
		} else {
			r.Got = "no seeds"
		}
		res = append(res, r)
	}
	return res
}
