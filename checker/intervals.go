package checker

import (
	"cmp"
	"slices"
)

// Interval is a half-open stretch of true time [From, To), in nanoseconds.
type Interval struct {
	From int64 `json:"from"`
	To   int64 `json:"to"`
}

// union returns the union of the intervals as sorted, disjoint, non-touching intervals
// (touching ones are merged); empty intervals are dropped. It sorts its argument.
func union(iv []Interval) []Interval {
	slices.SortFunc(iv, func(a, b Interval) int {
		if a.From != b.From {
			return cmp.Compare(a.From, b.From)
		}
		return cmp.Compare(a.To, b.To)
	})
	var out []Interval
	for _, x := range iv {
		if x.To <= x.From {
			continue
		}
		if n := len(out); n > 0 && x.From <= out[n-1].To {
			out[n-1].To = max(out[n-1].To, x.To)
			continue
		}
		out = append(out, x)
	}
	return out
}

// subtract returns a minus b, both sorted and disjoint (as union returns them).
func subtract(a, b []Interval) []Interval {
	var out []Interval
	j := 0
	for _, x := range a {
		from := x.From
		for j < len(b) && b[j].To <= from {
			j++
		}
		for k := j; k < len(b) && b[k].From < x.To; k++ {
			if b[k].From > from {
				out = append(out, Interval{from, b[k].From})
			}
			from = max(from, b[k].To)
		}
		if from < x.To {
			out = append(out, Interval{from, x.To})
		}
	}
	return out
}

// clip limits the intervals to [lo, hi), dropping those that become empty.
func clip(iv []Interval, lo, hi int64) []Interval {
	out := iv[:0]
	for _, x := range iv {
		x.From, x.To = max(x.From, lo), min(x.To, hi)
		if x.From < x.To {
			out = append(out, x)
		}
	}
	return out
}

// firstAtOrAfter returns the first instant t >= at covered by the sorted disjoint
// intervals, and false when there is none.
func firstAtOrAfter(iv []Interval, at int64) (int64, bool) {
	i, _ := slices.BinarySearchFunc(iv, at, func(x Interval, t int64) int {
		if x.To <= t {
			return -1
		}
		return 1
	})
	if i == len(iv) {
		return 0, false
	}
	return max(at, iv[i].From), true
}
