package stats

import (
	"math"
	"slices"
	"testing"
)

func TestPercentile(t *testing.T) {
	ten := []float64{10, 1, 9, 2, 8, 3, 7, 4, 6, 5}
	for _, c := range []struct {
		name string
		xs   []float64
		p    float64
		want float64
	}{
		{"no values", nil, 50, 0},
		{"one value", []float64{7}, 99, 7},
		{"p0 is the least", ten, 0, 1},
		{"p100 is the largest", ten, 100, 10},
		{"p50 of ten is the 5th", ten, 50, 5},
		{"p51 of ten is the 6th", ten, 51, 6},
		{"p99 of ten is the largest", ten, 99, 10},
		{"p10 of ten is the 1st", ten, 10, 1},
		{"p11 of ten is the 2nd", ten, 11, 2},
		{"below 0 is clamped", ten, -5, 1},
		{"above 100 is clamped", ten, 150, 10},
	} {
		if got := Percentile(c.xs, c.p); got != c.want {
			t.Errorf("%s: Percentile(%v, %v) = %v, want %v", c.name, c.xs, c.p, got, c.want)
		}
	}
}

// TestPercentileWholeRanks: a rank that is whole but for floating-point error is not
// rounded up (99.9% of 1000 values is the 999th, 7% of 100 the 7th).
func TestPercentileWholeRanks(t *testing.T) {
	for _, c := range []struct {
		n    int
		p    float64
		rank int
	}{{1000, 99.9, 999}, {100, 7, 7}, {2000, 99.9, 1998}, {20, 95, 19}} {
		xs := make([]float64, c.n)
		for i := range xs {
			xs[i] = float64(i + 1)
		}
		if got := Percentile(xs, c.p); got != float64(c.rank) {
			t.Errorf("p%v of 1..%d = %v, want %d", c.p, c.n, got, c.rank)
		}
	}
}

// TestPercentileIsNearestRank compares Percentile with the nearest-rank rule written
// out, ⌈p/100·n⌉ with the same slack, for every n up to 200 and p in steps of 0.25.
func TestPercentileIsNearestRank(t *testing.T) {
	for n := 1; n <= 200; n++ {
		xs := make([]float64, n)
		for i := range xs {
			xs[i] = float64((i*7919)%n) + 0.5 // a permutation of the ranks, shifted
		}
		for p := 0.0; p <= 100; p += 0.25 {
			rank := int(p/100*float64(n)+1-rankSlack) - 1
			want := float64(max(0, min(rank, n-1))) + 0.5
			if got := Percentile(xs, p); got != want {
				t.Fatalf("n=%d p=%v: %v, want %v", n, p, got, want)
			}
		}
	}
}

func TestMedian(t *testing.T) {
	for _, c := range []struct {
		xs   []float64
		want float64
	}{
		{nil, 0},
		{[]float64{3}, 3},
		{[]float64{4, 1, 3}, 3},
		{[]float64{4, 1, 3, 2}, 2.5},
		{[]float64{-1, 1}, 0},
	} {
		if got := Median(c.xs); got != c.want {
			t.Errorf("Median(%v) = %v, want %v", c.xs, got, c.want)
		}
	}
}

func TestMean(t *testing.T) {
	for _, c := range []struct {
		xs   []float64
		want float64
	}{
		{nil, 0},
		{[]float64{3}, 3},
		{[]float64{1, 2, 3, 4}, 2.5},
		// In order: (0.1+0.2)+0.3 is 0.6000000000000001, so the mean is 0.20000000000000004.
		{[]float64{0.1, 0.2, 0.3}, 0.20000000000000004},
	} {
		if got := Mean(c.xs); got != c.want {
			t.Errorf("Mean(%v) = %v, want %v", c.xs, got, c.want)
		}
	}
}

// TestMeanAddsInOrder: the sum is the sequential one, whatever the slice's length or
// alignment, so that a mean does not change with where its slice was allocated.
func TestMeanAddsInOrder(t *testing.T) {
	xs := make([]float64, 37)
	for i := range xs {
		xs[i] = 1 / float64(i+3)
	}
	for off := 0; off < 4; off++ {
		s := xs[off:]
		sum := 0.0
		for _, x := range s {
			sum += x
		}
		if got, want := Mean(s), sum/float64(len(s)); got != want || math.IsNaN(got) {
			t.Errorf("offset %d: Mean = %v, want the in-order %v", off, got, want)
		}
	}
}

func TestArgumentUnchanged(t *testing.T) {
	xs := []float64{3, 1, 2}
	Percentile(xs, 50)
	Median(xs)
	Mean(xs)
	if !slices.Equal(xs, []float64{3, 1, 2}) {
		t.Errorf("argument changed to %v", xs)
	}
}

// TestPercentileTable holds the cases the percentile had when it lived in reports.
func TestPercentileTable(t *testing.T) {
	hundred := make([]float64, 100)
	for i := range hundred {
		hundred[i] = float64(100 - i) // 100..1, unsorted
	}
	for _, c := range []struct {
		xs   []float64
		p    float64
		want float64
	}{
		{nil, 50, 0},
		{[]float64{5}, 0, 5},
		{[]float64{5}, 99, 5},
		{[]float64{3, 1, 2}, 50, 2},
		{[]float64{1, 2}, 50, 1}, // nearest rank: ⌈0.5·2⌉ = 1st
		{[]float64{1, 2}, 51, 2},
		{hundred, 0, 1},
		{hundred, 5, 5},
		{hundred, 7, 7}, // 0.07·100 is 7.000000000000001 in floating point
		{hundred, 29, 29},
		{hundred, 50, 50},
		{hundred, 99, 99},
		{hundred, 100, 100},
	} {
		before := slices.Clone(c.xs)
		if got := Percentile(c.xs, c.p); got != c.want {
			t.Errorf("Percentile(%v…, %v) = %v, want %v", c.xs[:min(len(c.xs), 3)], c.p, got, c.want)
		}
		if !slices.Equal(before, c.xs) {
			t.Errorf("Percentile reordered its input")
		}
	}
}
