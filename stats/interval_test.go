package stats

import (
	"math"
	"testing"
)

// Reference values: the closed forms where they exist (k = 0, k = n), and otherwise the
// p at which the binomial tail sum (computed term by term, solved by bisection) equals
// 1−c.
func TestClopperPearson(t *testing.T) {
	for _, c := range []struct {
		k, n         int
		conf         float64
		lower, upper float64
	}{
		{0, 1000, 0.95, 0, 1 - math.Pow(0.05, 1.0/1000)}, // 0.2991%: "≤ 0.30% at 95%"
		{0, 10, 0.95, 0, 1 - math.Pow(0.05, 0.1)},        // 25.89%
		{10, 10, 0.95, math.Pow(0.05, 0.1), 1},           // 74.11%
		{0, 3000, 0.99, 0, 1 - math.Pow(0.01, 1.0/3000)}, // 0.1534%
		{5, 100, 0.95, 0.0199055637, 0.1022533776},
		{1, 1000, 0.95, 0.0000512920, 0.0047349936},
		{0, 0, 0.95, 0, 1},
		{12, 10, 0.95, math.Pow(0.05, 0.1), 1}, // clamped to k = n
	} {
		iv := ClopperPearson(c.k, c.n, c.conf)
		if math.Abs(iv.Lower-c.lower) > 1e-8 || math.Abs(iv.Upper-c.upper) > 1e-8 || iv.Confidence != c.conf {
			t.Errorf("ClopperPearson(%d, %d, %g) = %+v, want [%.10f, %.10f]", c.k, c.n, c.conf, iv, c.lower, c.upper)
		}
	}
}

func TestPoissonRate(t *testing.T) {
	// 0 events in 100 hours at 95%: -ln(0.05)/100 per hour.
	iv := PoissonRate(0, 100, 0.95)
	if iv.Lower != 0 || math.Abs(iv.Upper-(-math.Log(0.05)/100)) > 1e-9 {
		t.Errorf("PoissonRate(0, 100, 0.95) = %+v", iv)
	}
	// 3 events in 10 hours: the means at which P(X ≥ 3) and P(X ≤ 3) are 5% (Poisson
	// sums solved by bisection), over 10.
	iv = PoissonRate(3, 10, 0.95)
	if math.Abs(iv.Lower-0.0817691447) > 1e-8 || math.Abs(iv.Upper-0.7753656528) > 1e-8 {
		t.Errorf("PoissonRate(3, 10, 0.95) = %+v", iv)
	}
	if iv := PoissonRate(3, 0, 0.95); !math.IsInf(iv.Upper, 1) {
		t.Errorf("no exposure: %+v, want an unbounded upper end", iv)
	}
}

func TestDecide(t *testing.T) {
	iv := Interval{Lower: 0.01, Upper: 0.03, Confidence: 0.95}
	for _, c := range []struct {
		op    string
		bound float64
		want  Decision
	}{
		{"<=", 0.03, Shown}, {"<", 0.03, Undecided}, {"<=", 0.05, Shown}, {"<=", 0.02, Undecided},
		{"<=", 0.005, Refuted}, {"<", 0.01, Refuted}, {"<=", 0.01, Undecided},
		{">=", 0.01, Shown}, {">", 0.01, Undecided}, {">=", 0.005, Shown}, {">=", 0.02, Undecided},
		{">=", 0.05, Refuted}, {">", 0.03, Refuted}, {">=", 0.03, Undecided},
	} {
		if got := Decide(iv, c.op, c.bound); got != c.want {
			t.Errorf("Decide([1%%, 3%%], %s %g) = %v, want %v", c.op, c.bound, got, c.want)
		}
	}
}

func TestSeedsToDecide(t *testing.T) {
	// 0 of 1000 at 95% gives ≤ 0.30%: not enough for ≤ 0.1%. At a rate of 0 the least
	// n with 1-(0.05)^(1/n) ≤ 0.001 is ceil(ln 0.05 / ln 0.999) = 2995.
	if got := SeedsToDecide(0, 1000, "<=", 0.001, 0.95); got != 2995 {
		t.Errorf("SeedsToDecide(0/1000, <= 0.1%%) = %d, want 2995", got)
	}
	// Already decided: n itself.
	if got := SeedsToDecide(0, 5000, "<=", 0.001, 0.95); got != 5000 {
		t.Errorf("decided at 5000 seeds: got %d", got)
	}
	// 1 of 50 (2%) against >= 1%: the projected interval must clear 1% from above.
	got := SeedsToDecide(1, 50, ">=", 0.01, 0.95)
	if got <= 50 {
		t.Fatalf("SeedsToDecide(1/50, >= 1%%) = %d, want more than 50", got)
	}
	if d := Decide(fractional(0.02*float64(got), got, 0.95), ">=", 0.01); d != Shown {
		t.Errorf("at %d seeds the projected interval does not show >= 1%%: %v", got, d)
	}
	if d := Decide(fractional(0.02*float64(got-1), got-1, 0.95), ">=", 0.01); d != Undecided {
		t.Errorf("%d seeds already decide; %d is not the least", got-1, got)
	}
	// The observed rate is the bound: no number of seeds decides.
	if got := SeedsToDecide(1, 100, "<=", 0.01, 0.95); got != 0 {
		t.Errorf("rate equal to the bound: got %d, want 0", got)
	}
}
