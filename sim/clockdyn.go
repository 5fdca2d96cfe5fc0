package sim

import (
	"fmt"
	"math"
)

// PeriodicRate is a sinusoidal component of a clock's rate, as temperature moves a
// crystal's drift or a time daemon's frequency corrections swing: the rate deviates by
// AmplitudePPM·sin(2π·t/Period + Phase) parts per million at true time t.
//
// The kernel keeps clocks piecewise linear with integer rates, so that reading a clock
// and finding when it reaches a deadline stay exact integer computations (monotonic and
// invertible, as for drift faults). It therefore applies the sine as a constant rate over
// pieces of true time of length h = Period/64 kept within [1ms, 1s] (pieces start at
// multiples of h from time 0): each piece runs at the sine's mean rate over that piece,
// rounded to a part per billion. The approximation's error against the integral of the
// continuous rate: at every piece boundary, at most 0.5 ns per second of run (the
// rounding of the rate) plus 1 ns per piece (the clock reads whole nanoseconds); inside a
// piece, at most AmplitudePPM·1e-6·(2π/Period)·h²/8 more (0.65µs for 500 ppm over a 10
// minute period, whose pieces are 1s). TestPeriodicClockMatchesIntegral checks the bound.
// The rate never leaves drift ± AmplitudePPM.
type PeriodicRate struct {
	AmplitudePPM float64
	Period       int64   // ns, > 0
	Phase        float64 // radians
	// RandomPhase draws the phase uniformly in [0, 2π) from the node's own clock-phase
	// stream (derived from the run's seed and the node's name), ignoring Phase.
	RandomPhase bool
}

// Slew is an NTP-like time daemon that steers the clock toward true time by changing its
// rate, never by stepping it: every Interval of true time (from time 0) it reads the wall
// clock's error e = wall − true time from a perfect reference and sets a correction rate
// of −e/Interval, clamped to ±MaxPPM, until the next poll. The correction is added to the
// drift and any periodic component, and moves the monotonic clock too (a kernel slews
// both; only steps leave the monotonic clock alone). Under a constant drift d alone it
// settles with a residual error of about d·Interval (a proportional controller), and it
// removes an offset or step error e in about e/MaxPPM when that exceeds the interval.
type Slew struct {
	MaxPPM   float64
	Interval int64 // ns, > 0
}

// minPiece and maxPiece bound the length of a periodic rate's pieces.
const minPiece, maxPiece = int64(1e6), int64(1e9)

// WorstRatePPM returns the largest |rate − 1|, in ppm, that the clock model can reach:
// its drift (fixed, or the bound of its draw) plus the amplitude of its periodic
// component plus the slew's bound. Guard bands sized for clock error must use it rather
// than the mean drift.
func (c ClockSpec) WorstRatePPM() float64 {
	w := math.Abs(c.DriftPPM) + math.Abs(c.DriftRangePPM)
	if c.Periodic != nil {
		w += math.Abs(c.Periodic.AmplitudePPM)
	}
	if c.Slew != nil {
		w += math.Abs(c.Slew.MaxPPM)
	}
	return w
}

// checkDynamics checks the periodic and slew parts of a clock spec.
func (c ClockSpec) checkDynamics() error {
	if p := c.Periodic; p != nil {
		if p.Period <= 0 {
			return fmt.Errorf("periodic period %d must be > 0", p.Period)
		}
		if p.AmplitudePPM < 0 || p.AmplitudePPM >= 1e6 || math.IsNaN(p.AmplitudePPM) {
			return fmt.Errorf("periodic amplitude %v ppm must be in [0, 1000000)", p.AmplitudePPM)
		}
		if math.IsNaN(p.Phase) || math.IsInf(p.Phase, 0) {
			return fmt.Errorf("periodic phase %v is not a number", p.Phase)
		}
	}
	if s := c.Slew; s != nil {
		if s.Interval <= 0 {
			return fmt.Errorf("slew interval %d must be > 0", s.Interval)
		}
		if s.MaxPPM < 0 || s.MaxPPM >= 1e6 || math.IsNaN(s.MaxPPM) {
			return fmt.Errorf("slew max_ppm %v must be in [0, 1000000)", s.MaxPPM)
		}
	}
	return nil
}

// clockDyn is the time-varying part of a node's clock rate: the base drift (which drift
// faults change), a periodic component and a slew, recomputed at piece boundaries and
// slew polls by evClock events.
type clockDyn struct {
	base    int64 // ppb: the spec's drift, or the last drift fault's
	per     *PeriodicRate
	phase   float64
	piece   int64 // true-time length of a periodic piece
	perPPB  int64 // the periodic component over the current piece
	slew    *Slew
	slewPPB int64 // the current slew correction
	nextPer int64 // true time of the next piece boundary (MaxInt64: none)
	nextSlw int64 // true time of the next slew poll (MaxInt64: none)
}

func newClockDyn(spec ClockSpec, base int64, phase float64) *clockDyn {
	d := &clockDyn{base: base, per: spec.Periodic, slew: spec.Slew, nextPer: math.MaxInt64, nextSlw: math.MaxInt64}
	if d.per != nil {
		d.phase = phase
		d.piece = max(min(d.per.Period/64, maxPiece), minPiece)
		d.nextPer = 0
	}
	if d.slew != nil {
		d.nextSlw = 0
	}
	return d
}

// rate is the clock's current rate in ppb.
func (d *clockDyn) rate() int64 { return d.base + d.perPPB + d.slewPPB }

// next is the true time of the next change.
func (d *clockDyn) next() int64 { return min(d.nextPer, d.nextSlw) }

// periodicMean returns the mean, in ppb, of amplitude·sin(ω·t + φ) over true times
// [a, b): amplitude·(cos(ωa+φ) − cos(ωb+φ)) / (ω·(b−a)), rounded.
func periodicMean(p *PeriodicRate, phase float64, a, b int64) int64 {
	w := 2 * math.Pi / float64(p.Period)
	mean := p.AmplitudePPM * 1000 * (math.Cos(w*float64(a)+phase) - math.Cos(w*float64(b)+phase)) / (w * float64(b-a))
	return int64(math.Round(mean))
}

// update applies the changes due at true time now to the rate, given the wall clock's
// error from true time (for the slew), and reports whether the rate changed.
func (d *clockDyn) update(now, wallErr int64) bool {
	old := d.rate()
	if now >= d.nextPer {
		end := now + d.piece
		d.perPPB = periodicMean(d.per, d.phase, now, end)
		d.nextPer = end
	}
	if now >= d.nextSlw {
		lim := ppmToPPB(d.slew.MaxPPM)
		corr := -float64(wallErr) * 1e9 / float64(d.slew.Interval)
		d.slewPPB = int64(math.Round(max(-float64(lim), min(float64(lim), corr))))
		d.nextSlw = now + d.slew.Interval
	}
	return d.rate() != old
}

// clockTick applies the periodic and slew changes due now to p's clock and schedules the
// next one.
func (s *Sim) clockTick(p *proc) {
	d := p.dyn
	if d.next() > s.now {
		return
	}
	if d.update(s.now, p.clock.wall(s.now)-s.now) {
		p.clock.setDrift(s.now, d.rate())
		if s.rec != nil {
			s.recClockPiece(p)
		}
		s.rescheduleTimers(p)
		s.rescheduleClaims(p)
	}
	s.q.push(d.next(), evBody{kind: evClock, node: p.id})
}

// setBaseDrift is a drift fault on p: the base drift becomes ppb, under any periodic and
// slew components.
func (s *Sim) setBaseDrift(p *proc, ppb int64) {
	if p.dyn == nil {
		p.clock.setDrift(s.now, ppb)
	} else {
		p.dyn.base = ppb
		p.clock.setDrift(s.now, p.dyn.rate())
	}
	if s.rec != nil {
		s.recClockPiece(p)
	}
}
