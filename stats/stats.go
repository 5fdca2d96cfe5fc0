package stats

import (
	"sort"

	"gonum.org/v1/gonum/stat"
)

// rankSlack is how far above a whole rank p/100·n may lie and still count as that rank:
// floating-point error makes 99.9% of 1000 values 999.0000000000001, which is rank 999,
// not 1000.
const rankSlack = 1e-9

// Percentile returns the p-th percentile (p in 0..100) of xs by the nearest-rank
// method: the smallest value with at least p% of the values at or below it (the first
// value for p = 0, the largest for p = 100). It returns 0 for no values; p outside
// 0..100 is clamped.
func Percentile(xs []float64, p float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := sorted(xs)
	n := float64(len(s))
	q := min(max(p/100-rankSlack/n, 0), 1)
	return stat.Quantile(q, stat.Empirical, s, nil)
}

// Median returns the middle value of xs, or the mean of the two middle values when
// their number is even; 0 for no values.
func Median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := sorted(xs)
	n := len(s)
	return (s[(n-1)/2] + s[n/2]) / 2
}

// Mean returns the arithmetic mean of xs, adding in order; 0 for no values.
func Mean(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	sum := 0.0
	for _, x := range xs {
		sum += x
	}
	return sum / float64(len(xs))
}

func sorted(xs []float64) []float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	return s
}
