// Package ok uses the allowed forms: seeded generators, durations and time values,
// context without deadlines, and map ranges that do nothing order-dependent.
package ok

import (
	"context"
	"maps"
	"math/rand/v2"
	"slices"
	"sort"
	"time"
)

func seeded(r *rand.Rand) time.Duration {
	_ = rand.New(rand.NewPCG(1, 2))
	d := time.Duration(r.IntN(3)) * time.Second
	_ = time.Unix(0, 0).Add(d)
	return d
}

func cancel(ctx context.Context) {
	_, c := context.WithCancel(ctx)
	c()
}

func ranges(m map[string]float64, other map[string]bool) ([]string, float64, int) {
	n, found, best := 0, false, 0
	var keys []string
	for k, v := range m {
		n++                    // integer counting commutes
		found = found || v > 1 // so does or-ing
		best = max(best, len(k))
		other[k] = v > 0 // filling another map
		if v < 0 {
			delete(m, k)
		}
		keys = append(keys, k) // sorted below
	}
	sort.Strings(keys)
	var sum float64
	for _, k := range slices.Sorted(maps.Keys(m)) {
		sum += m[k] // in sorted order
	}
	var vals []float64
	for _, v := range m {
		vals = append(vals, v)
	}
	slices.SortFunc(vals, func(a, b float64) int { return int(a - b) })
	_ = found
	return keys, sum, n + best
}
