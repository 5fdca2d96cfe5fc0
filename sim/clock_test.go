package sim

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// bruteTrueAt finds the least t >= now with c.read(k, t) >= d by stepping one nanosecond
// at a time from a lower bound. It is the definition trueAt must match.
func bruteTrueAt(c *clock, k ClockKind, d, now int64) int64 {
	t := now
	// Jump close first (the clock rate is within a factor of two of 1 in these tests),
	// then step exactly.
	for c.read(k, t) < d {
		gap := d - c.read(k, t)
		if gap > 4 {
			t += gap / 4
		} else {
			t++
		}
	}
	for t > now && c.read(k, t-1) >= d {
		t--
	}
	return t
}

func TestTrueAtMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 20000; i++ {
		c := newClock(rng.Int64N(2_000_001)-1_000_000, rng.Int64N(2_000_000_000)-1_000_000_000)
		// A few drift changes and steps to move into a later piece.
		now := int64(0)
		for j := rng.IntN(3); j > 0; j-- {
			now += rng.Int64N(5_000_000_000)
			c.setDrift(now, rng.Int64N(2_000_001)-1_000_000)
			if rng.IntN(2) == 0 {
				c.step(rng.Int64N(2_000_000_000) - 1_000_000_000)
			}
		}
		k := ClockKind(rng.IntN(2))
		d := c.read(k, now) + rng.Int64N(3_000_000_000) - 100
		got, want := c.trueAt(k, d, now), bruteTrueAt(&c, k, d, now)
		if got != want {
			t.Fatalf("case %d: clock %+v kind %v deadline %d now %d: trueAt = %d, brute force = %d", i, c, k, d, now, got, want)
		}
		if got > now && c.read(k, got-1) >= d || c.read(k, got) < d {
			t.Fatalf("case %d: trueAt %d is not the least time the clock reaches %d", i, got, d)
		}
	}
}

func TestClockReadsAcrossPieces(t *testing.T) {
	c := newClock(100_000, 5_000_000) // +100 ppm, wall 5ms ahead
	if got := c.mono(1_000_000_000); got != 1_000_100_000 {
		t.Fatalf("mono after 1s at +100ppm = %d, want 1000100000", got)
	}
	if got := c.wall(1_000_000_000); got != 1_005_100_000 {
		t.Fatalf("wall = %d, want 1005100000", got)
	}
	c.setDrift(1_000_000_000, -200_000) // -200 ppm from 1s on
	if got := c.mono(2_000_000_000); got != 1_000_100_000+999_800_000 {
		t.Fatalf("mono after drift change = %d", got)
	}
	c.step(-2_000_000_000)
	if got := c.wall(2_000_000_000); got != 1_999_900_000+5_000_000-2_000_000_000 {
		t.Fatalf("wall after step = %d", got)
	}
	if c.mono(2_000_000_000) != 1_999_900_000 {
		t.Fatal("a wall step moved the monotonic clock")
	}
}

func TestScaleFloorIsExactForLargeValues(t *testing.T) {
	// 100 simulated hours at +999999 ppb would overflow int64 multiplication.
	x := int64(360_000_000_000_000)
	if got, want := scaleFloor(x, 999_999_999), int64(359_999_999_640_000); got != want {
		t.Fatalf("scaleFloor(%d, 999999999) = %d, want %d", x, got, want)
	}
	if got, want := scaleFloor(7, -1), int64(-1); got != want {
		t.Fatalf("floor(-7e-9) = %d, want -1", got)
	}
}

// TestTrueAtEstimateIsExact compares trueAt, whose first guess is a floating-point
// quotient, with the exact 128-bit division for targets from 1ns to months, drifts up
// to the extremes, and targets whose quotient is an integer (where rounding the guess
// up overshoots by one).
func TestTrueAtEstimateIsExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	tests := []struct {
		name   string
		ppb    func() int64
		target func(ppb int64) int64
	}{
		{"small targets", func() int64 { return rng.Int64N(2_000_001) - 1_000_000 }, func(int64) int64 { return 1 + rng.Int64N(1000) }},
		{"seconds to hours", func() int64 { return rng.Int64N(2_000_001) - 1_000_000 }, func(int64) int64 { return 1 + rng.Int64N(4e12) }},
		{"months", func() int64 { return rng.Int64N(2_000_001) - 1_000_000 }, func(int64) int64 { return 1 + rng.Int64N(1e16) }},
		{"extreme drifts", func() int64 { return []int64{-ppbScale + 1, -500_000_000, 999_999_999, 3e9}[rng.IntN(4)] }, func(int64) int64 { return 1 + rng.Int64N(1e13) }},
		{"no drift", func() int64 { return 0 }, func(int64) int64 { return 1 + rng.Int64N(4e12) }},
		{"integer quotients", func() int64 { return rng.Int64N(2_000_001) - 1_000_000 }, func(ppb int64) int64 {
			// target = k*(1e9+ppb)/1e9 for k a multiple of 1e9: the quotient is k exactly.
			return (1 + rng.Int64N(3600)) * (ppbScale + ppb)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for i := 0; i < 20000; i++ {
				c := newClock(tt.ppb(), 0)
				c.t0, c.m0 = rng.Int64N(1e12), rng.Int64N(1e12)
				target := tt.target(c.ppb)
				if got, want := c.trueAt(Mono, c.m0+target, c.t0), c.trueAtDiv(target, c.t0); got != want {
					t.Fatalf("ppb %d target %d: trueAt = %d, exact %d", c.ppb, target, got-c.t0, want-c.t0)
				}
			}
		})
	}
}

// TestMonoMemo checks that the memoised reading never outlives the rate it was read
// under: a reading, a drift change, and the same instant read again.
func TestMonoMemo(t *testing.T) {
	tests := []struct {
		name      string
		readAt    int64 // read first (memoised)
		changeAt  int64 // then the drift changes here
		newPPB    int64
		rereadAt  int64
		wantAfter int64
	}{
		{"change before the memoised instant", 2e9, 1e9, -200_000, 2e9, 1_000_100_000 + 999_800_000},
		{"change at the memoised instant", 2e9, 2e9, 500_000, 2e9, 2_000_200_000},
		{"reread later", 1e9, 1e9, 0, 3e9, 1_000_100_000 + 2e9},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClock(100_000, 0) // +100 ppm
			c.mono(tt.readAt)
			c.setDrift(tt.changeAt, tt.newPPB)
			if got := c.mono(tt.rereadAt); got != tt.wantAfter {
				t.Errorf("mono(%d) = %d, want %d", tt.rereadAt, got, tt.wantAfter)
			}
		})
	}
}

// TestFloorDiv1e9 checks floorDiv1e9 against the 128-bit scaleFloor (and the definition)
// on both sides of zero, at multiples of 1e9 and next to them, and at the int64 extremes.
func TestFloorDiv1e9(t *testing.T) {
	vs := []int64{0, 1, -1, 999_999_999, -999_999_999, 1e9, -1e9, 1e9 + 1, -1e9 - 1, 1e9 - 1,
		-1e9 + 1, 123_456_789_012, -123_456_789_012, math.MaxInt64, math.MinInt64 + 1, math.MinInt64}
	for _, v := range vs {
		// floor(v/1e9) from the definition: q*1e9 <= v < (q+1)*1e9, in 128 bits.
		want := new(big.Int).Div(big.NewInt(v), big.NewInt(1e9)) // Euclidean: floor for a positive divisor
		if got := floorDiv1e9(v); got != want.Int64() {
			t.Errorf("floorDiv1e9(%d) = %d, want %d", v, got, want.Int64())
		}
	}
}
