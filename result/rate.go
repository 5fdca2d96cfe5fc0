package result

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/leasesim/leasesim/stats"
)

// Rate is how often a property was violated over a scenario's seeds, with its exact
// (Clopper–Pearson) bounds: the `rates` entry of a scenario result. Lower and Upper are
// each a one-sided bound at Confidence. Seeds counts the seeds whose checks decided
// (a seed left undecided by a porcupine timeout that did not violate the property is
// not counted).
type Rate struct {
	ViolatingSeeds int     `json:"violating_seeds"`
	Seeds          int     `json:"seeds"`
	Rate           float64 `json:"rate"`
	Lower          float64 `json:"lower"`
	Upper          float64 `json:"upper"`
	Confidence     float64 `json:"confidence"`
	// PerHour is the same count per simulated hour (a Poisson rate over seeds × the
	// scenario's duration); nil when the duration is not known.
	PerHour *HourRate `json:"per_hour,omitempty"`
}

// HourRate is a violation rate per simulated hour: violating seeds over Hours of
// simulated time, with its exact Poisson bounds (each one-sided at the Rate's
// confidence).
type HourRate struct {
	Hours float64 `json:"hours"`
	Rate  float64 `json:"rate"`
	Lower float64 `json:"lower"`
	Upper float64 `json:"upper"`
}

// RateOf is the rate of k violating seeds among n decided ones at confidence c; with
// hours > 0 (the simulated time the n seeds covered) it carries the rate per hour too.
func RateOf(k, n int, c, hours float64) Rate {
	iv := stats.ClopperPearson(k, n, c)
	r := Rate{ViolatingSeeds: k, Seeds: n, Lower: iv.Lower, Upper: iv.Upper, Confidence: c}
	if n > 0 {
		r.Rate = float64(k) / float64(n)
	}
	if hours > 0 {
		h := stats.PoissonRate(k, hours, c)
		r.PerHour = &HourRate{Hours: hours, Rate: float64(k) / hours, Lower: h.Lower, Upper: h.Upper}
	}
	return r
}

// Text says what the rate shows about property p, as the suite table, JUnit and HTML
// report print it: "0 of 1,000 seeds: p1 ≤ 0.30% per run at 95%", "12 of 1,000 seeds:
// p1 1.2% per run, ≥ 0.69% and ≤ 1.9% at 95%" (each bound one-sided), with ", ≤ 0.36
// per simulated hour" when the rate per hour is known.
func (r Rate) Text(p string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s of %s: %s ", Thousands(r.ViolatingSeeds), plural(r.Seeds, "seed"), p)
	at := " at " + Percent(r.Confidence)
	switch {
	case r.Seeds == 0:
		b.WriteString("unknown (no seed decided)")
		return b.String()
	case r.ViolatingSeeds == 0:
		b.WriteString("≤ " + PercentUp(r.Upper) + " per run" + at)
	case r.ViolatingSeeds == r.Seeds:
		b.WriteString("≥ " + PercentDown(r.Lower) + " per run" + at)
	default:
		b.WriteString(Percent(r.Rate) + " per run, ≥ " + PercentDown(r.Lower) + " and ≤ " + PercentUp(r.Upper) + at)
	}
	if r.PerHour != nil {
		b.WriteString(", ≤ " + significantOutward(r.PerHour.Upper, true) + " per simulated hour")
	}
	return b.String()
}

// Percent writes a fraction as a percentage with two significant digits: 0.003 is
// "0.30%", 0.019 "1.9%", 0.95 "95%", 1 "100%"; a fraction below one gets the digits
// that keep it below 100% (0.9963 is "99.6%").
func Percent(x float64) string {
	s := significant(100 * x)
	if x < 1 && s == "100" {
		// A fraction below one is not written as 100%: 272 of 273 seeds is 99.6%.
		for prec := 1; prec <= 6; prec++ {
			if t := strconv.FormatFloat(100*x, 'f', prec, 64); !strings.HasPrefix(t, "100") {
				return t + "%"
			}
		}
	}
	return s + "%"
}

// PercentUp writes an upper bound as a percentage with two significant digits, rounded
// up, so that the printed bound is never tighter than the computed one: 0.01937 is
// "≤ 2.0%", not "≤ 1.9%".
// An upper bound below one that two digits would round up to 100% gets the digits that
// keep it below 100%, still rounded up (0.99981 is "99.99%").
func PercentUp(x float64) string {
	s := significantOutward(100*x, true)
	if x < 1 && s == "100" {
		for prec := 1; prec <= 6; prec++ {
			unit := math.Pow(10, float64(prec))
			if v := math.Ceil(100*x*unit-1e-9) / unit; v < 100 {
				return strconv.FormatFloat(v, 'f', prec, 64) + "%"
			}
		}
	}
	return s + "%"
}

// Measured writes a measured fraction that is not a bound — an unavailable fraction, a
// mean or a percentile over seeds — as a percentage with three decimals, as the suite
// table's unavailability columns print it: 0.258866 is "25.887%", 0.0004 "0.040%".
func Measured(x float64) string { return strconv.FormatFloat(100*x, 'f', 3, 64) + "%" }

// PercentDown writes a lower bound as a percentage with two significant digits, rounded
// down: 0.00698 is "0.69%", not "0.70%".
func PercentDown(x float64) string { return significantOutward(100*x, false) + "%" }

// significantOutward writes x >= 0 with two significant digits, rounded up (up) or
// down, never to the nearest: a bound printed must still hold. A value already at two
// significant digits (up to a rounding error of its float) is written as it is.
func significantOutward(x float64, up bool) string {
	if x <= 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	scale := math.Pow(10, math.Floor(math.Log10(x))-1) // the second significant digit's unit
	q := x / scale
	const slack = 1e-9 // q is 19.000000001 for an x that is 1.9 in decimal
	if up {
		q = math.Ceil(q - slack)
	} else {
		q = math.Floor(q + slack)
	}
	return significant(q * scale)
}

// significant writes x >= 0 with two significant digits (no exponent, at least the
// units): 0.30, 1.9, 55, 120.
func significant(x float64) string {
	if x == 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	// Round first, so that 0.0998 counts its digits from 0.10, not from 0.0998.
	v, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 2, 64), 64)
	dec := max(0, 1-int(math.Floor(math.Log10(math.Abs(v)))))
	return strconv.FormatFloat(v, 'f', dec, 64)
}

// Thousands writes n with a comma between groups of three digits: 1,000. It takes every
// integer type a count or a seed comes in (int, int64, uint64 seeds), so that there is
// one such writer.
func Thousands[T ~int | ~int32 | ~int64 | ~uint | ~uint32 | ~uint64](n T) string {
	var s string
	if n < 0 {
		s = strconv.FormatInt(int64(n), 10)
	} else {
		s = strconv.FormatUint(uint64(n), 10)
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// plural is Thousands(n) followed by noun, in the plural unless n is 1.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return Thousands(n) + " " + noun + "s"
}
