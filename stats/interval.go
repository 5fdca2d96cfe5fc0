package stats

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Interval bounds an unknown rate from what was observed. Lower and Upper are each a
// one-sided bound at Confidence: the true rate is at least Lower with probability
// Confidence, and at most Upper with probability Confidence (together they form a
// two-sided interval at 2·Confidence−1). One-sided ends are what decide a one-sided claim
// such as "the rate is at most 0.1%": it is shown when Upper is at most 0.1%, refuted
// when Lower is above it, and undecided in between.
type Interval struct {
	Lower, Upper float64
	Confidence   float64
}

// ClopperPearson returns the exact (Clopper–Pearson) bounds on the probability of an
// event seen in k of n independent trials, at confidence c in (0, 1). With k = 0 the
// upper bound is 1−(1−c)^(1/n) (about 3/n at 95%, the "rule of three"); with k = n the
// lower bound is c^(1/n). With n = 0 nothing is known: [0, 1]. k is clamped to [0, n].
func ClopperPearson(k, n int, c float64) Interval {
	iv := Interval{Lower: 0, Upper: 1, Confidence: c}
	if n <= 0 {
		return iv
	}
	k = min(max(k, 0), n)
	if k > 0 {
		iv.Lower = distuv.Beta{Alpha: float64(k), Beta: float64(n - k + 1)}.Quantile(1 - c)
	}
	if k < n {
		iv.Upper = distuv.Beta{Alpha: float64(k + 1), Beta: float64(n - k)}.Quantile(c)
	}
	return iv
}

// PoissonRate returns exact bounds on the rate of events per unit of exposure, from k
// events seen over exposure units (for example violating seeds over simulated hours),
// at confidence c: the Gamma quantiles of the Poisson count, divided by the exposure.
// With no exposure nothing is known: [0, +Inf).
func PoissonRate(k int, exposure, c float64) Interval {
	iv := Interval{Lower: 0, Upper: math.Inf(1), Confidence: c}
	if exposure <= 0 {
		return iv
	}
	k = max(k, 0)
	if k > 0 {
		iv.Lower = distuv.Gamma{Alpha: float64(k), Beta: 1}.Quantile(1-c) / exposure
	}
	iv.Upper = distuv.Gamma{Alpha: float64(k + 1), Beta: 1}.Quantile(c) / exposure
	return iv
}

// Decision is what an interval says about a one-sided claim on a rate.
type Decision int

// The three answers: the claim is shown, refuted, or the interval straddles its bound.
const (
	Undecided Decision = iota
	Shown
	Refuted
)

// Decide judges the claim "rate op bound" (op one of <=, <, >=, >) against iv: Shown
// when the whole interval satisfies it, Refuted when none of it does, Undecided when
// the interval straddles the bound.
func Decide(iv Interval, op string, bound float64) Decision {
	switch op {
	case "<=", "<":
		if iv.Upper < bound || (op == "<=" && iv.Upper == bound) {
			return Shown
		}
		if iv.Lower > bound || (op == "<" && iv.Lower == bound) {
			return Refuted
		}
	case ">=", ">":
		if iv.Lower > bound || (op == ">=" && iv.Lower == bound) {
			return Shown
		}
		if iv.Upper < bound || (op == ">" && iv.Upper == bound) {
			return Refuted
		}
	}
	return Undecided
}

// maxSeeds caps SeedsToDecide's search: a claim that needs more trials than this is
// reported as not decidable at the observed rate.
const maxSeeds = 1 << 40

// SeedsToDecide returns how many trials in all would decide the claim "rate op bound"
// at confidence c if the rate stayed at the observed k/n: the least N whose
// Clopper–Pearson interval with k/n·N events is wholly on one side of bound. It returns
// n when the n trials already decide, and 0 when no number of trials would (the
// observed rate equals the bound, or more than 2^40 trials would be needed).
func SeedsToDecide(k, n int, op string, bound, c float64) int {
	if n > 0 && Decide(ClopperPearson(k, n, c), op, bound) != Undecided {
		return n
	}
	rate := 0.0
	if n > 0 {
		rate = float64(min(max(k, 0), n)) / float64(n)
	}
	if rate == bound {
		return 0
	}
	decides := func(trials int) bool {
		return Decide(fractional(rate*float64(trials), trials, c), op, bound) != Undecided
	}
	lo, hi := max(n, 1), max(2*n, 2)
	for !decides(hi) {
		if hi >= maxSeeds {
			return 0
		}
		lo, hi = hi, min(2*hi, maxSeeds)
	}
	for lo+1 < hi {
		mid := lo + (hi-lo)/2
		if decides(mid) {
			hi = mid
		} else {
			lo = mid
		}
	}
	return hi
}

// fractional is ClopperPearson for a count that need not be whole (an observed rate
// projected onto more trials): the Beta quantiles take real shapes.
func fractional(k float64, n int, c float64) Interval {
	iv := Interval{Lower: 0, Upper: 1, Confidence: c}
	nf := float64(n)
	if k > 0 {
		iv.Lower = distuv.Beta{Alpha: k, Beta: nf - k + 1}.Quantile(1 - c)
	}
	if k < nf {
		iv.Upper = distuv.Beta{Alpha: k + 1, Beta: nf - k}.Quantile(c)
	}
	return iv
}
