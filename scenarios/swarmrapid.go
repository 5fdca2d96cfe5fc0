package scenarios

import (
	"fmt"
	"math/bits"
	"strings"

	"pgregory.net/rapid"

	"github.com/leasesim/leasesim/sim"
)

// rapidSource draws the swarm rule's choices with rapid, for explore's generated
// schedules. Every choice is made of fair coins (rapid.Bool, one bit of rapid's stream
// each, which rapid shrinks towards false), so that each is as uniform as the PCG
// stream's and shrinks towards the fixed mix: a kind towards on, a factor towards 1.
// (rapid's integer draws favour small values, which would change the rule.)
type rapidSource struct{ t *rapid.T }

// swarmBits is the resolution of a rapid choice: 2^swarmBits values.
const swarmBits = 8

// bits draws n fair coins, most significant first, as an integer in [0, 2^n).
func (r rapidSource) bits(label string, n int) uint64 {
	var v uint64
	for i := 0; i < n; i++ {
		v <<= 1
		if rapid.Bool().Draw(r.t, fmt.Sprintf("%s bit %d", label, i)) {
			v |= 1
		}
	}
	return v
}

func (r rapidSource) on(kind sim.FaultKind) bool {
	return swarmCoinOn(r.bits("swarm: "+string(kind)+" off", swarmBits))
}

// index draws uniformly by rejection: the fewest coins that cover n values, drawn again
// when they come out n or more.
func (r rapidSource) index(label string, n int) int {
	w := bits.Len(uint(n - 1))
	for {
		if v := r.bits(label, w); v < uint64(n) {
			return int(v)
		}
	}
}

func (r rapidSource) exponent(label string) float64 {
	return swarmExponent(r.bits(label, swarmBits))
}

// swarmCoinOn reads swarmBits coins v (uniform in [0, 2^swarmBits)) as a kind's being on:
// v below SwarmOnProbability of the range, exactly SwarmOnProbability for 1/2 (and any
// multiple of 2^-swarmBits); on when every coin is false.
func swarmCoinOn(v uint64) bool {
	return float64(v) < SwarmOnProbability*(1<<swarmBits)
}

// swarmExponent reads swarmBits coins v as u in [-1, 1) on a grid of 2^swarmBits steps,
// each once: the first coin a sign, the others the magnitude m in [0, 2^(swarmBits-1));
// u = m/2^(swarmBits-1) with the sign off, -(m+1)/2^(swarmBits-1) with it on. Every coin
// false is u = 0: a factor of 1.
func swarmExponent(v uint64) float64 {
	const half = 1 << (swarmBits - 1)
	m := float64(v & (half - 1))
	if v&half != 0 {
		return -(m + 1) / half
	}
	return m / half
}

// rapidSwarm is the mix a generated schedule drew with the swarm rule (drawSwarmRapid).
type rapidSwarm struct {
	kinds  []sim.FaultKind // the kinds that are on, in the order listed
	length map[sim.FaultKind]float64
	rate   float64 // the total rate over the fixed mix's: rateFactor
	delay  float64 // the network's delay scale
	desc   string
}

// drawSwarmRapid draws a generated schedule's swarm mix with rapid, by the rule a swarm
// entry's seed follows (drawSwarmChoice, drawDelayScale): which kinds are on, each kind's
// length factor, and the scale of the network's delays; and describes it: "on partition
// (lengths × 1.41), pause (lengths × 0.71); off crash, cut; faults × 1.00 (each kind on
// at 2× its fixed-mix rate); network delays × 2.30".
func drawSwarmRapid(t *rapid.T, kinds []sim.FaultKind) rapidSwarm {
	src := rapidSource{t}
	c := drawSwarmChoice(src, kinds)
	m := rapidSwarm{length: map[sim.FaultKind]float64{}, rate: c.rateFactor(), delay: drawDelayScale(src)}
	var on, off []string
	for i, k := range kinds {
		if !c.on[i] {
			off = append(off, string(k))
			continue
		}
		m.kinds = append(m.kinds, k)
		m.length[k] = c.length[i]
		if k == sim.FaultClockStep || k == sim.FaultDrift {
			on = append(on, string(k)) // instant: no length
			continue
		}
		on = append(on, fmt.Sprintf("%s (lengths × %.2f)", k, c.length[i]))
	}
	m.desc = "on " + strings.Join(on, ", ")
	if len(off) > 0 {
		m.desc += "; off " + strings.Join(off, ", ")
	}
	m.desc += fmt.Sprintf("; faults × %.2f (each kind on at %g× its fixed-mix rate); network delays × %.2f", m.rate, 1/SwarmOnProbability, m.delay)
	return m
}
