package sim

import (
	"fmt"
	"math"
	"sync"
)

// delaySampler draws message delays from one DelayDist with a single uniform draw per
// message (inverse transform), so that every message costs its link's stream the same
// number of draws whatever the distribution.
//
// The lognormal's inverse CDF (an Erfinv and an Exp) dominated the kernel's profile, so
// it is tabulated: quantiles at lognormalSteps+1 evenly spaced probabilities, linearly
// interpolated in between. The quantile function is smooth there, so the interpolation
// error stays under one part in 10^4 (TestLognormalTable); in the outer 2% at each end,
// where the quantile function steepens, the exact formula is used.
type delaySampler struct {
	kind      uint8 // 0 fixed, 1 uniform, 2 lognormal
	fixed     int64
	min, span int64
	mu, sigma float64
	table     *[lognormalSteps + 1]float64 // lognormal quantiles at i/lognormalSteps
}

// lognormalSteps is the resolution of the lognormal quantile table; the table is not
// used for the lognormalExactBelow steps at either end.
const (
	lognormalSteps      = 4096
	lognormalExactBelow = lognormalSteps / 50
)

// z99 is the standard normal quantile at 0.99.
const z99 = 2.3263478740408408

func newDelaySampler(d DelayDist) (delaySampler, error) {
	switch d.Kind {
	case "", "fixed":
		if d.Fixed < 0 {
			return delaySampler{}, fmt.Errorf("fixed delay %d is negative", d.Fixed)
		}
		return delaySampler{kind: 0, fixed: d.Fixed}, nil
	case "uniform":
		if d.Min < 0 || d.Max < d.Min {
			return delaySampler{}, fmt.Errorf("uniform delay needs 0 <= min <= max, got min %d max %d", d.Min, d.Max)
		}
		return delaySampler{kind: 1, min: d.Min, span: d.Max - d.Min}, nil
	case "lognormal":
		if d.Median <= 0 || d.P99 < d.Median {
			return delaySampler{}, fmt.Errorf("lognormal delay needs 0 < median <= p99, got median %d p99 %d", d.Median, d.P99)
		}
		ds := delaySampler{kind: 2, mu: math.Log(float64(d.Median)),
			sigma: math.Log(float64(d.P99)/float64(d.Median)) / z99}
		ds.table = lognormalTable(&ds)
		return ds, nil
	}
	return delaySampler{}, fmt.Errorf("unknown delay distribution %q; expected fixed, uniform or lognormal", d.Kind)
}

// lognormalTables holds the quantile tables already built, by distribution: building one
// takes 4,096 Erfinv and Exp calls, more than a simulated hour of the reference workload
// draws from the exact formula, and every run of a scenario needs the same table. The
// tables are read-only once built, so runs on several goroutines share them. At most
// lognormalTablesMax are kept, so that a sweep over many delays does not grow it
// without bound.
var lognormalTables struct {
	sync.Mutex
	m map[[2]float64]*[lognormalSteps + 1]float64
}

const lognormalTablesMax = 64

// lognormalTable returns the quantile table of d's lognormal, built or shared.
func lognormalTable(d *delaySampler) *[lognormalSteps + 1]float64 {
	key := [2]float64{d.mu, d.sigma}
	lognormalTables.Lock()
	t, ok := lognormalTables.m[key]
	lognormalTables.Unlock()
	if ok {
		return t
	}
	t = new([lognormalSteps + 1]float64)
	for i := 1; i < lognormalSteps; i++ {
		t[i] = d.lognormalExact(float64(i) / lognormalSteps)
	}
	lognormalTables.Lock()
	defer lognormalTables.Unlock()
	if lognormalTables.m == nil {
		lognormalTables.m = map[[2]float64]*[lognormalSteps + 1]float64{}
	}
	if len(lognormalTables.m) < lognormalTablesMax {
		lognormalTables.m[key] = t
	}
	return t
}

// sample maps a uniform u in [0,1) to a delay: the lognormal's table lookup
// (lognormalTable), or sampleOther. network.send writes it out for its FIFO path.
func (d *delaySampler) sample(u float64) int64 {
	if d.kind == 2 {
		if at, ok := d.lognormalTable(u); ok {
			return at
		}
	}
	return d.sampleOther(u)
}

// lognormalTable is the lognormal's table lookup: the quantile at u, interpolated, and
// true, or false in the tails (lognormalExact). Small enough to inline into
// network.send, the path of every message.
func (d *delaySampler) lognormalTable(u float64) (int64, bool) {
	x := u * lognormalSteps
	i := int(x)
	// lognormalExactBelow <= i < lognormalSteps-lognormalExactBelow, in one comparison.
	if uint(i-lognormalExactBelow) < lognormalSteps-2*lognormalExactBelow {
		t0, t1 := d.table[i], d.table[i+1]
		return int64(t0 + (x-float64(i))*(t1-t0)), true
	}
	return 0, false
}

// lognormalWord is lognormalTable at u = unit32(w), computed from the word: u·lognormalSteps
// is w·2^-20 exactly, so its integer part is w>>20 and its fraction (w mod 2^20)·2^-20,
// both exact, and the result is lognormalTable's bit for bit. The table index comes from
// an integer shift rather than a float conversion, and the array's length removes the
// bounds checks: this is the lookup of every message.
func (d *delaySampler) lognormalWord(w uint32) (int64, bool) {
	i := int(w >> 20)
	if uint(i-lognormalExactBelow) < lognormalSteps-2*lognormalExactBelow {
		t0, t1 := d.table[i], d.table[i+1]
		return int64(t0 + float64(w&(1<<20-1))*(1.0/(1<<20))*(t1-t0)), true
	}
	return 0, false
}

// sampleOther is sample for the fixed and uniform distributions and the lognormal's
// tails, where the exact formula is used.
func (d *delaySampler) sampleOther(u float64) int64 {
	switch d.kind {
	case 1:
		return d.min + int64(u*float64(d.span+1))
	case 2:
		return int64(d.lognormalExact(u))
	}
	return d.fixed
}

// lognormalExact is the lognormal's inverse CDF at u, capped at 1e15 ns.
func (d *delaySampler) lognormalExact(u float64) float64 {
	// Clamp u away from 0 so that the normal quantile is finite.
	if u < 1e-12 {
		u = 1e-12
	}
	z := math.Sqrt2 * math.Erfinv(2*u-1)
	return math.Min(math.Exp(d.mu+d.sigma*z), 1e15)
}

// link is the state of one directed link.
type link struct {
	rng        splitMix
	delay      *delaySampler
	cut        int32   // active cut faults covering it
	extraDelay int64   // sum of active slow faults
	keep       float64 // probability a message survives the active lossy faults
	// lostBelow is the loss probability 1-(1-loss)·keep as a threshold on the loss word's
	// 32 bits (lostBelow, set with keep): a message is lost when they are below it.
	lostBelow   uint64
	lastArrival int64 // FIFO order while no reordering is in force
}

// network holds every directed link, created on first use.
type network struct {
	s         *Sim
	n         int
	links     []*link
	base      delaySampler
	overrides map[int]*delaySampler // link index -> its own distribution
	loss, dup float64
	reorder   int64 // active reordering window, 0 when links are FIFO
	cutLinks  int   // links with cut > 0: none, and no delivery looks its link up
}

func (net *network) init(s *Sim, cfg Network) error {
	net.s, net.n = s, len(s.procs)
	net.links = make([]*link, net.n*net.n)
	var err error
	if net.base, err = newDelaySampler(cfg.Delay); err != nil {
		return fmt.Errorf("sim: network delay: %w", err)
	}
	if cfg.Loss < 0 || cfg.Loss > 1 || cfg.Duplicate < 0 || cfg.Duplicate > 1 {
		return fmt.Errorf("sim: network loss %v and duplicate %v must be in [0,1]", cfg.Loss, cfg.Duplicate)
	}
	net.loss, net.dup = cfg.Loss, cfg.Duplicate
	for i, l := range cfg.Links {
		ds, err := newDelaySampler(l.Delay)
		if err != nil {
			return fmt.Errorf("sim: network link %d: %w", i, err)
		}
		from, err := s.resolveNames(l.From)
		if err != nil {
			return fmt.Errorf("sim: network link %d from: %w", i, err)
		}
		to, err := s.resolveNames(l.To)
		if err != nil {
			return fmt.Errorf("sim: network link %d to: %w", i, err)
		}
		if net.overrides == nil {
			net.overrides = map[int]*delaySampler{}
		}
		for _, a := range from {
			for _, b := range to {
				d := ds
				net.overrides[int(a-1)*net.n+int(b-1)] = &d
			}
		}
	}
	return nil
}

func (net *network) link(from, to NodeID) *link {
	i := int(from-1)*net.n + int(to-1)
	if l := net.links[i]; l != nil {
		return l
	}
	return net.newLink(i, from, to)
}

// newLink creates the link from -> to, at index i, on its first use.
func (net *network) newLink(i int, from, to NodeID) *link {
	l := &link{keep: 1, delay: &net.base, lostBelow: lostBelow(net.loss, 1),
		rng: newSplitMix(net.s.cfg.Seed, "net", net.s.name(from), net.s.name(to))}
	if d, ok := net.overrides[i]; ok {
		l.delay = d
	}
	net.links[i] = l
	return l
}

func (net *network) cutNow(from, to NodeID) bool {
	if net.cutLinks == 0 {
		return false
	}
	l := net.links[int(from-1)*net.n+int(to-1)]
	return l != nil && l.cut > 0
}

// send puts m on the network. Every message draws the same three 64-bit words from its
// link's stream, split into five 32-bit uniforms (loss, duplication, delay, duplicate's
// delay, reordering jitter), whatever the faults in force, so that adding or removing a
// fault changes no other draw. 32 bits resolve probabilities and quantiles to 2^-32,
// far finer than any loss rate or delay tail a scenario can state.
func (net *network) send(m *Message) {
	s := net.s
	if m.To <= 0 || int(m.To) > net.n {
		s.traceDrop(*m, "no such destination")
		return
	}
	l := net.links[int(m.From-1)*net.n+int(m.To-1)] // net.link, its lookup inlined
	if l == nil {
		l = net.newLink(int(m.From-1)*net.n+int(m.To-1), m.From, m.To)
	}
	// The stream moves three words; the third (the jitter) is only mixed while links
	// reorder. The uniforms a message does not use are not converted either:
	// duplication's when nothing duplicates, the jitter's without reordering.
	w1, w2 := l.rng.Uint64(), l.rng.Uint64()
	s3 := l.rng.skip()
	if l.cut > 0 {
		s.traceDrop(*m, "cut")
		return
	}
	if w1>>32 < l.lostBelow { // uLoss < 1-(1-loss)·keep
		s.traceDrop(*m, "lost")
		return
	}
	m.sent = s.now
	var jitter uint64
	if net.reorder > 0 {
		jitter = splitMixOut(s3) >> 32
	}
	var at int64
	if net.reorder == 0 {
		// arrival's FIFO case with sample's table lookup, inline: the path of nearly
		// every message.
		d := l.delay
		delay, ok := int64(0), false
		if d.kind == 2 {
			delay, ok = d.lognormalWord(uint32(w2 >> 32)) // uDelay's word
		}
		if !ok {
			delay = d.sampleOther(unit32(w2 >> 32)) // uDelay
		}
		if at = s.now + delay + l.extraDelay; at < l.lastArrival {
			at = l.lastArrival
		} else {
			l.lastArrival = at
		}
	} else {
		at = net.arrival(l, unit32(w2>>32), jitter, false) // uDelay, uJitter
	}
	s.q.pushMsg(at, evDeliver, m)
	if net.dup > 0 && unit32(w1) < net.dup && !m.AtMostOnce { // uDup
		s.q.pushMsg(net.arrival(l, unit32(w2), jitter, true), evDeliver, m) // uDupDelay, 1 - uJitter
	}
}

// lostBelow returns the threshold on a 32-bit word below which a message is lost, with
// loss probability p = 1-(1-loss)·keep: unit32(w) < p exactly when w < ceil(p·2^32),
// since unit32 scales w by a power of two (exactly) and w is an integer.
func lostBelow(loss, keep float64) uint64 {
	p := 1 - (1-loss)*keep
	return uint64(math.Ceil(p * (1 << 32)))
}

// arrival returns when a message sent over l now arrives, after the delay at uniform
// uDelay. While links reorder, the jitter word adds a uniform share of the window:
// unit32(jitter), or one minus it for a duplicate (flip).
func (net *network) arrival(l *link, uDelay float64, jitter uint64, flip bool) int64 {
	at := net.s.now + l.delay.sample(uDelay) + l.extraDelay
	if net.reorder > 0 {
		uJitter := unit32(jitter)
		if flip {
			uJitter = 1 - uJitter
		}
		at += int64(uJitter * float64(net.reorder+1))
	} else if at < l.lastArrival {
		at = l.lastArrival // FIFO: a link delivers in send order, like a TCP stream
	}
	if at > l.lastArrival {
		l.lastArrival = at
	}
	return at
}

// eachLink calls f for every directed link from a node of from to a node of to, skipping
// self-links.
func (net *network) eachLink(from, to []NodeID, f func(l *link)) {
	for _, a := range from {
		for _, b := range to {
			if a != b {
				f(net.link(a, b))
			}
		}
	}
}

// unit32 maps the low 32 bits of w to a uniform float64 in [0, 1).
func unit32(w uint64) float64 { return float64(uint32(w)) * (1.0 / (1 << 32)) }
