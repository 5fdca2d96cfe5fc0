package sim

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
	"time"
)

// refPiece is one piece of the reference clock: from true time t0 the monotonic clock
// reads m0 and advances at 1e9+ppb per 1e9.
type refPiece struct{ t0, m0, ppb int64 }

// refClock is an independent model of a clock with periodic and slew components: it
// replays the rate changes (piece boundaries, slew polls, one drift change) in a plain
// loop and reads the clock with big-integer arithmetic, sharing with the kernel only the
// definition of a piece's periodic rate (periodicMean).
type refClock struct{ pieces []refPiece }

func floorBig(x, ppb int64) int64 {
	v := new(big.Int).Mul(big.NewInt(x), big.NewInt(ppb))
	q, m := new(big.Int).DivMod(v, big.NewInt(ppbScale), new(big.Int)) // Euclidean: m >= 0
	_ = m
	return q.Int64()
}

func (r *refClock) mono(t int64) int64 {
	i := len(r.pieces) - 1
	for r.pieces[i].t0 > t {
		i--
	}
	p := r.pieces[i]
	x := t - p.t0
	return p.m0 + x + floorBig(x, p.ppb)
}

func buildRef(spec ClockSpec, phase float64, offset, driftAt, driftPPB, horizon int64) *refClock {
	r := &refClock{pieces: []refPiece{{0, 0, 0}}}
	base := ppmToPPB(spec.DriftPPM)
	var perPPB, slewPPB int64
	nextPer, nextSlew, nextDrift := int64(math.MaxInt64), int64(math.MaxInt64), driftAt
	piece := int64(0)
	if spec.Periodic != nil {
		nextPer = 0
		piece = min(max(spec.Periodic.Period/64, int64(time.Millisecond)), int64(time.Second))
	}
	if spec.Slew != nil {
		nextSlew = 0
	}
	t := int64(0)
	for t < horizon {
		m := r.mono(t)
		if t == nextDrift {
			base, nextDrift = driftPPB, math.MaxInt64
		}
		if t == nextPer {
			perPPB = periodicMean(spec.Periodic, phase, t, t+piece)
			nextPer = t + piece
		}
		if t == nextSlew {
			lim := float64(ppmToPPB(spec.Slew.MaxPPM))
			c := -float64(m+offset-t) * 1e9 / float64(spec.Slew.Interval)
			slewPPB = int64(math.Round(max(-lim, min(lim, c))))
			nextSlew = t + spec.Slew.Interval
		}
		// A new piece only where the rate changes: the kernel's clock reads whole
		// nanoseconds, and restarting a piece at the same rate would round once more.
		if ppb := max(base+perPPB+slewPPB, -ppbScale+1); ppb != r.pieces[len(r.pieces)-1].ppb {
			r.pieces = append(r.pieces, refPiece{t, m, ppb})
		}
		t = min(nextPer, nextSlew, nextDrift)
	}
	return r
}

// timerNode chains timers of random durations and records when each was set (true
// time), its deadline on the monotonic clock, and when it fired.
type timerNode struct {
	s     *Sim
	fires []timerFire
	set   timerFire
}

type timerFire struct{ setAt, deadline, firedAt, monoAtFire int64 }

func (n *timerNode) Start(env *Env) { n.arm(env) }

func (n *timerNode) arm(env *Env) {
	d := env.Rand().Int64N(int64(2 * time.Second))
	n.set = timerFire{setAt: n.s.now, deadline: env.Mono() + d}
	env.After(d, Message{Type: MsgUser})
}

func (n *timerNode) Step(env *Env, m Message) {
	n.set.firedAt, n.set.monoAtFire = n.s.now, env.Mono()
	n.fires = append(n.fires, n.set)
	n.arm(env)
}

// TestPeriodicAndSlewTimersMatchBruteForce: with periodic and slew components (and a
// drift fault in between), every timer fires at the least true time at which an
// independent model of the clock reaches its deadline, the clock the node reads is that
// model's, and the model is monotonic.
func TestPeriodicAndSlewTimersMatchBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const horizon = int64(30 * time.Second)
	for i := 0; i < 60; i++ {
		spec := ClockSpec{DriftPPM: float64(rng.IntN(2001) - 1000), Offset: rng.Int64N(2e9) - 1e9}
		if i%3 != 2 {
			spec.Periodic = &PeriodicRate{AmplitudePPM: float64(rng.IntN(5000)), Period: int64(time.Millisecond) + rng.Int64N(int64(20*time.Second)), Phase: rng.Float64() * 7}
		}
		if i%3 != 0 {
			spec.Slew = &Slew{MaxPPM: float64(rng.IntN(2000)), Interval: int64(100*time.Millisecond) + rng.Int64N(int64(5*time.Second))}
		}
		driftAt, driftPPB := int64(10*time.Second)+rng.Int64N(1e9), rng.Int64N(2_000_001)-1_000_000
		var node *timerNode
		cfg := Config{Seed: uint64(i + 1), Duration: horizon,
			Nodes:  []NodeSpec{{Name: "A", Role: RoleHolder, Clock: spec, New: func() Node { return node }}},
			Faults: []Fault{{Kind: FaultDrift, Node: "A", At: driftAt, PPM: float64(driftPPB) / 1000}}}
		s, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		node = &timerNode{s: s}
		s.Run()
		ref := buildRef(spec, spec.Periodic.phaseOr0(), spec.Offset, driftAt, driftPPB, horizon)
		for j := 1; j < len(ref.pieces); j++ {
			if ref.pieces[j].m0 < ref.pieces[j-1].m0 {
				t.Fatalf("case %d: the reference clock runs backwards at %d", i, ref.pieces[j].t0)
			}
		}
		if len(node.fires) < 10 {
			t.Fatalf("case %d: only %d timers fired", i, len(node.fires))
		}
		for _, f := range node.fires {
			lo, hi := f.setAt, horizon
			for lo < hi { // least t with ref.mono(t) >= deadline
				mid := lo + (hi-lo)/2
				if ref.mono(mid) >= f.deadline {
					hi = mid
				} else {
					lo = mid + 1
				}
			}
			if f.firedAt != lo {
				t.Fatalf("case %d (%+v): a timer set at %d for mono %d fired at %d (reading %d, reference %d); the reference clock reaches it at %d", i, spec, f.setAt, f.deadline, f.firedAt, f.monoAtFire, ref.mono(f.firedAt), lo)
			}
			if f.monoAtFire != ref.mono(f.firedAt) {
				t.Fatalf("case %d: at %d the node's clock reads %d, the reference %d", i, f.firedAt, f.monoAtFire, ref.mono(f.firedAt))
			}
		}
	}
}

func (p *PeriodicRate) phaseOr0() float64 {
	if p == nil {
		return 0
	}
	return p.Phase
}

// TestPeriodicClockMatchesIntegral: a periodic clock stays within the documented bound
// of the integral of its continuous rate, t + drift·t + A·(cos φ − cos(ωt+φ))/ω, at every
// millisecond of a run.
func TestPeriodicClockMatchesIntegral(t *testing.T) {
	for _, tc := range []struct {
		amp    float64
		period time.Duration
	}{{500, 10 * time.Minute}, {500, 10 * time.Second}, {5000, 100 * time.Millisecond}, {50, 12 * time.Hour}, {20000, 5 * time.Millisecond}} {
		per := &PeriodicRate{AmplitudePPM: tc.amp, Period: int64(tc.period), Phase: 1}
		spec := ClockSpec{DriftPPM: 20, Periodic: per}
		horizon := min(int64(2*tc.period), int64(20*time.Minute))
		ref := buildRef(spec, per.Phase, 0, math.MaxInt64, 0, horizon)
		piece := min(max(int64(tc.period)/64, int64(time.Millisecond)), int64(time.Second))
		w := 2 * math.Pi / float64(tc.period)
		step := max(horizon/200000, 1)
		worst := 0.0
		for x := int64(0); x < horizon; x += step {
			exact := float64(x) + 20e-6*float64(x) + tc.amp*1e-6*(math.Cos(per.Phase)-math.Cos(w*float64(x)+per.Phase))/w
			bound := 0.5e-9*float64(x) + float64(x/piece+1) + tc.amp*1e-6*w*float64(piece)*float64(piece)/8 + 1
			e := math.Abs(float64(ref.mono(x)) - exact)
			worst = max(worst, e/bound)
			if e > bound {
				t.Fatalf("amplitude %v ppm, period %v: at %v the clock is %.1f ns off the integral, more than the bound %.1f ns", tc.amp, tc.period, time.Duration(x), e, bound)
			}
		}
		t.Logf("amplitude %v ppm, period %v: worst error %.2f of the bound", tc.amp, tc.period, worst)
	}
}

// TestSlewSteersTowardTrueTime: a clock 200ms ahead with a 100 ppm drift, slewed at up to
// 500 ppm every 16s, comes within drift·interval (1.6ms, plus a little) of true time
// after 200ms/400ppm = 500s, and the worst rate stays within drift + max_ppm.
func TestSlewSteersTowardTrueTime(t *testing.T) {
	spec := ClockSpec{DriftPPM: 100, Offset: int64(200 * time.Millisecond), Slew: &Slew{MaxPPM: 500, Interval: int64(16 * time.Second)}}
	horizon := int64(1000 * time.Second)
	ref := buildRef(spec, 0, spec.Offset, math.MaxInt64, 0, horizon)
	for _, p := range ref.pieces {
		if r := math.Abs(float64(p.ppb)) / 1000; r > spec.WorstRatePPM() {
			t.Fatalf("rate %v ppm beyond the worst rate %v", r, spec.WorstRatePPM())
		}
	}
	for x := int64(600 * time.Second); x < horizon; x += int64(time.Second) {
		if e := ref.mono(x) + spec.Offset - x; e > int64(2*time.Millisecond) || e < -int64(2*time.Millisecond) {
			t.Fatalf("at %v the slewed clock is %v off true time", time.Duration(x), time.Duration(e))
		}
	}
}
