package sim

import (
	"math"
	"math/bits"
)

// ppbScale is the denominator of a clock rate: a clock with drift d parts per billion
// advances (1e9 + d) local nanoseconds every 1e9 true nanoseconds.
const ppbScale = 1_000_000_000

// clock is one node's pair of clocks. The monotonic clock is piecewise linear in true
// time; only its current piece is kept, because the kernel only ever asks about now and
// the future. The wall clock is the monotonic clock plus an offset that steps change.
//
// Conversions are exact in integers: mono(t) = m0 + x + floor(x*ppb/1e9) with x = t - t0,
// and trueAt(D) is the least true time at which mono reaches D.
type clock struct {
	t0, m0 int64 // the current piece starts at true time t0 with local reading m0
	ppb    int64 // drift of the current piece, parts per billion; > -1e9
	offset int64 // wall - mono
	// fastX is the largest x for which x*|ppb| fits in an int64, so that scaling takes a
	// division by the constant 1e9 (a multiply) rather than a 128-bit division.
	fastX int64
	// memoT and memoV memoise the last mono reading (at true time memoT): a node reads
	// its clock several times in one step (its Env.Mono calls, its timers' deadlines).
	// Every change of the piece's rate resets it; re-basing a piece (t0, m0) keeps the
	// same readings.
	memoT, memoV int64
	// inv is 1e9/(1e9+ppb) in floating point: trueAt's first guess, which it checks
	// exactly.
	inv float64
}

func newClock(ppb, offset int64) clock {
	c := clock{offset: offset}
	c.setRate(ppb)
	return c
}

func (c *clock) setRate(ppb int64) {
	c.ppb = clampPPB(ppb)
	c.memoT = math.MinInt64
	c.inv = ppbScale / float64(ppbScale+c.ppb)
	c.fastX = math.MaxInt64
	if c.ppb != 0 {
		c.fastX = math.MaxInt64 / abs64(c.ppb)
	}
}

func abs64(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

// clampPPB keeps a clock running forwards: a rate of zero or less would never reach a
// deadline.
func clampPPB(ppb int64) int64 {
	if ppb <= -ppbScale {
		return -ppbScale + 1
	}
	return ppb
}

// ppmToPPB converts a drift in ppm (as scenarios write it) to the kernel's integer ppb.
func ppmToPPB(ppm float64) int64 { return int64(math.Round(ppm * 1000)) }

// mono returns the monotonic reading at true time t >= c.t0. The memoised reading is
// returned inline; monoAt computes a new one.
func (c *clock) mono(t int64) int64 {
	if t == c.memoT {
		return c.memoV
	}
	return c.monoAt(t)
}

// monoAt computes and memoises the monotonic reading at true time t >= c.t0.
func (c *clock) monoAt(t int64) int64 {
	x := t - c.t0
	v := c.m0 + x
	if x > 0 && x <= c.fastX {
		v += floorDiv1e9(x * c.ppb)
	} else {
		v += scaleFloor(x, c.ppb)
	}
	c.memoT, c.memoV = t, v
	return v
}

// floorDiv1e9 returns floor(v / 1e9) without a branch: the constant divisor compiles to
// a multiply, and the quotient, rounded toward zero, is one less when the remainder is
// negative. A branch on v's sign (which follows the clock's drift) mispredicted whenever
// the kernel turned from a node whose clock runs fast to one whose clock runs slow.
func floorDiv1e9(v int64) int64 {
	q := v / ppbScale
	return q + (v-q*ppbScale)>>63
}

// wall returns the wall reading at true time t >= c.t0.
func (c *clock) wall(t int64) int64 { return c.mono(t) + c.offset }

// read returns the reading of clock k at true time t.
func (c *clock) read(k ClockKind, t int64) int64 {
	if k == Wall {
		return c.wall(t)
	}
	return c.mono(t)
}

// setDrift starts a new piece at true time t with the given drift.
func (c *clock) setDrift(t, ppb int64) {
	c.m0 = c.mono(t)
	c.t0 = t
	c.setRate(ppb)
}

// step jumps the wall clock by d (an NTP correction); the monotonic clock is unaffected.
func (c *clock) step(d int64) { c.offset += d }

// trueAt returns the least true time t >= now at which clock k reads at least d, assuming
// no further drift change or step (the kernel recomputes when one happens).
func (c *clock) trueAt(k ClockKind, d, now int64) int64 {
	if k == Wall {
		d -= c.offset
	}
	// Find the least x >= 0 with x + floor(x*ppb/1e9) >= target. For an integer x that
	// sum is floor(x*(1e9+ppb)/1e9), which is >= target exactly when
	// x >= target*1e9/(1e9+ppb): the least such x is that quotient rounded up.
	target := d - c.m0
	if target <= 0 {
		return now
	}
	// The quotient's floating-point estimate, rounded up, is nearly always the least x,
	// which the clock's own formula confirms: it reaches target at x but not at x-1 (the
	// reading only grows with x). Otherwise, the exact 128-bit division.
	if xf := float64(target) * c.inv; xf < 1<<52 {
		x := int64(xf) + 1
		if x <= c.fastX && x+floorDiv1e9(x*c.ppb) >= target && x-1+floorDiv1e9((x-1)*c.ppb) < target {
			return max(c.t0+x, now)
		}
	}
	return c.trueAtDiv(target, now)
}

// trueAtDiv is trueAt for a target > 0 past the piece's start, by the exact 128-bit
// division.
func (c *clock) trueAtDiv(target, now int64) int64 {
	x := mulDivCeil(target, ppbScale, ppbScale+c.ppb)
	t := c.t0 + x
	if t < now || x == math.MaxInt64 {
		return max(t, now)
	}
	return t
}

// scaleFloor returns floor(x*ppb/1e9) for x >= 0 without overflow.
func scaleFloor(x, ppb int64) int64 {
	if x <= 0 || ppb == 0 {
		return 0
	}
	if ppb > 0 {
		hi, lo := bits.Mul64(uint64(x), uint64(ppb))
		q, _ := bits.Div64(hi, lo, ppbScale)
		return int64(q)
	}
	hi, lo := bits.Mul64(uint64(x), uint64(-ppb))
	q, r := bits.Div64(hi, lo, ppbScale)
	if r != 0 {
		q++
	}
	return -int64(q)
}

// mulDivCeil returns ceil(a*b/c) for a, b, c > 0 without overflow, saturating at
// MaxInt64.
func mulDivCeil(a, b, c int64) int64 {
	if a <= 0 {
		return 0
	}
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	if hi >= uint64(c) {
		return math.MaxInt64
	}
	q, r := bits.Div64(hi, lo, uint64(c))
	if r != 0 {
		q++
	}
	if q > math.MaxInt64 {
		return math.MaxInt64
	}
	return int64(q)
}
