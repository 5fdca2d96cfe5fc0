package scenarios

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"pgregory.net/rapid"

	"github.com/leasesim/leasesim/model"
	"github.com/leasesim/leasesim/sim"
)

// Swarm testing (Groce et al., "Swarm Testing", ISSTA 2012; FoundationDB's BUGGIFY,
// TigerBeetle's VOPR): rather than every seed drawing faults of every kind at the same
// rates, each seed first draws its own mix — which kinds are on, how often each comes —
// and then its faults from that mix. A bug that one kind's faults trigger and another's
// mask (a long cut, but no crash that resets the holder) is then found in the seeds that
// turned the masking kind off. FORMAT.md (random, swarm) states the rule and why.
const (
	// SwarmOnProbability is the chance that a listed kind is on in a seed. A kind that
	// is on comes at its fixed-mix rate (1/(mean_gap·kinds)) over SwarmOnProbability:
	// over seeds, as often as in the fixed mix.
	SwarmOnProbability = 0.5
	// SwarmMaxLength bounds each kind's drawn mean length: between 1/SwarmMaxLength and
	// SwarmMaxLength times the configured mean_length, log-uniformly.
	SwarmMaxLength = 2.0
	// SwarmMaxDelayScale bounds the factor a seed draws for the network's delays:
	// between 1/SwarmMaxDelayScale and SwarmMaxDelayScale, log-uniformly.
	SwarmMaxDelayScale = 4.0
)

// SwarmMix is what one seed drew for one swarm `random:` entry: the kinds that are on,
// each with its own mean gap, the kinds that are off, and the total mean gap (the gap
// between faults of any kind).
type SwarmMix struct {
	Entry      int           // the entry's index in faults
	Configured time.Duration // the entry's mean_gap
	MeanGap    time.Duration // between faults of any kind: 1 / the sum of the kinds' rates
	On         []SwarmKind   // in the order the entry lists them
	Off        []sim.FaultKind
}

// SwarmKind is one kind a swarm draw turned on, the mean gap between its faults and
// their mean length.
type SwarmKind struct {
	Kind       sim.FaultKind
	MeanGap    time.Duration
	MeanLength time.Duration
}

// SwarmMaxRate is the largest total fault rate a swarm seed can draw, as a multiple of
// the configured 1/mean_gap: every kind on.
func SwarmMaxRate() float64 { return 1 / SwarmOnProbability }

// logUniform returns m^u, u uniform in [-1, 1): log-uniform between 1/m and m.
func logUniform(rng *rand.Rand, m float64) float64 {
	return math.Pow(m, 2*rng.Float64()-1)
}

// DrawSwarm draws the mix of kinds and rates of seed for the swarm entry faults[entry],
// from a stream of its own (the seed and the entry's index; no other draw of the run
// uses it, so the mix does not move the run's other draws and the same seed always draws
// the same mix). FORMAT.md (random, swarm) states the rule.
func (r *RandomFaults) DrawSwarm(seed uint64, entry int) SwarmMix {
	rng := rand.New(rand.NewPCG(seed, swarmKey(entry)))
	k := len(r.Kinds)
	on := make([]bool, k)
	anyOn := false
	for i := range on {
		on[i] = rng.Float64() < SwarmOnProbability
		anyOn = anyOn || on[i]
	}
	if !anyOn {
		on[rng.IntN(k)] = true
	}
	lengths := make([]float64, k)
	for i := range lengths {
		lengths[i] = logUniform(rng, SwarmMaxLength)
	}
	// A kind's rate when on, in faults per ns: its fixed-mix rate over the chance of
	// being on.
	own := 1 / (float64(r.MeanGap) * float64(k) * SwarmOnProbability)
	mix := SwarmMix{Entry: entry, Configured: r.MeanGap}
	sum := 0.0
	for i, kind := range r.Kinds {
		if !on[i] {
			mix.Off = append(mix.Off, kind)
			continue
		}
		sum += own
		gap := time.Duration(math.Round(1 / own))
		length := time.Duration(math.Round(lengths[i] * float64(r.MeanLength)))
		mix.On = append(mix.On, SwarmKind{Kind: kind, MeanGap: max(gap, 1), MeanLength: max(length, 1)})
	}
	mix.MeanGap = time.Duration(math.Round(1 / sum))
	return mix
}

// DrawDelayScale draws the factor by which a swarm seed scales the network's delays
// (every delay distribution of network:, default and per link), from a stream of its
// own: SwarmMaxDelayScale^u, u uniform in [-1, 1).
func DrawDelayScale(seed uint64) float64 {
	rng := rand.New(rand.NewPCG(seed, streamKey("scenarios/swarm/network")))
	return logUniform(rng, SwarmMaxDelayScale)
}

// swarmKey is the stream key of the swarm draw of faults[entry]: FNV-1a of a label that
// no other stream of a run uses.
func swarmKey(entry int) uint64 {
	return streamKey("scenarios/swarm/" + strconv.Itoa(entry))
}

// streamKey is FNV-1a of a stream's label.
func streamKey(label string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(label))
	return h.Sum64()
}

// String describes the mix on one line, for the history's meta and the transcript:
// "faults[0]: on partition every 31.2s for 4.1s, pause every 12s for 1.8s; off crash, cut;
// all kinds every 8.7s (configured 10s)".
func (m SwarmMix) String() string {
	var on, off []string
	for _, k := range m.On {
		on = append(on, fmt.Sprintf("%s every %s for %s", k.Kind, roundGap(k.MeanGap), roundGap(k.MeanLength)))
	}
	for _, k := range m.Off {
		off = append(off, string(k))
	}
	s := fmt.Sprintf("faults[%d]: on %s", m.Entry, strings.Join(on, ", "))
	if len(off) > 0 {
		s += "; off " + strings.Join(off, ", ")
	}
	s += "; all kinds every " + roundGap(m.MeanGap).String()
	return s + fmt.Sprintf(" (configured %s)", m.Configured)
}

// roundGap rounds a drawn gap for display: to the millisecond, or to 10µs below 10ms.
func roundGap(d time.Duration) time.Duration {
	if d < 10*time.Millisecond {
		return d.Round(10 * time.Microsecond)
	}
	return d.Round(time.Millisecond)
}

// swarmSimFaults expands a swarm entry for the kernel: one random entry per kind that is
// on, each with that kind alone and its drawn mean gap and length. Independent Poisson streams of
// rates r1, r2, … are one stream of rate r1+r2+… whose faults are each of kind i with
// probability ri/(r1+r2+…): the same schedule law as one entry drawing kinds by weight.
func swarmSimFaults(sf sim.Fault, mix SwarmMix) []sim.Fault {
	var out []sim.Fault
	for _, k := range mix.On {
		r := *sf.Random
		r.Kinds = []sim.FaultKind{k.Kind}
		r.MeanGap = int64(k.MeanGap)
		r.MeanLength = int64(k.MeanLength)
		f := sf
		f.Random = &r
		out = append(out, f)
	}
	return out
}

// WithSwarm returns a copy of the scenario with every `random:` entry in swarm mode (the
// --swarm flag of suite, run and explore); the scenario itself is left as it is.
func (s *Scenario) WithSwarm() *Scenario {
	c := *s
	c.Faults = make([]Fault, len(s.Faults))
	for i, f := range s.Faults {
		if f.Random != nil {
			r := *f.Random
			r.Swarm = true
			f.Random = &r
		}
		c.Faults[i] = f
	}
	return &c
}

// HasSwarm reports whether any `random:` entry of the scenario is in swarm mode.
func (s *Scenario) HasSwarm() bool {
	for _, f := range s.Faults {
		if f.Random != nil && f.Random.Swarm {
			return true
		}
	}
	return false
}

// swarmMaxWeightLog2 is the largest weight exponent a generated schedule draws: weights
// 1, 2, 4, 8, 16, the same 16:1 spread as SwarmMaxWeight's 1/4 to 4.
const swarmMaxWeightLog2 = 4

// drawSwarmRapid draws a generated schedule's swarm mix with rapid: for each kind whether
// it is off (rapid shrinks a Bool towards false, so shrinking turns kinds back on), and
// for each kind a weight 2^e, e in [0, swarmMaxWeightLog2] (shrinking towards 1, equal
// weights); when every kind came out off, one drawn among them is on. It returns the
// kinds that are on, their weights and a description of the mix.
func drawSwarmRapid(t *rapid.T, kinds []sim.FaultKind) ([]sim.FaultKind, []int, string) {
	off := make([]bool, len(kinds))
	exp := make([]int, len(kinds))
	allOff := true
	for i, k := range kinds {
		off[i] = rapid.Bool().Draw(t, "swarm: "+string(k)+" off")
		exp[i] = rapid.IntRange(0, swarmMaxWeightLog2).Draw(t, "swarm: "+string(k)+" weight (log2)")
		allOff = allOff && off[i]
	}
	if allOff {
		off[rapid.IntRange(0, len(kinds)-1).Draw(t, "swarm: the one kind on")] = false
	}
	var on []sim.FaultKind
	var weights []int
	var onDesc, offDesc []string
	for i, k := range kinds {
		if off[i] {
			offDesc = append(offDesc, string(k))
			continue
		}
		on = append(on, k)
		weights = append(weights, 1<<exp[i])
		onDesc = append(onDesc, fmt.Sprintf("%s weight %d", k, 1<<exp[i]))
	}
	desc := "on " + strings.Join(onDesc, ", ")
	if len(offDesc) > 0 {
		desc += "; off " + strings.Join(offDesc, ", ")
	}
	return on, weights, desc
}

// pickWeighted draws one of kinds with probability proportional to its weight.
func pickWeighted(t *rapid.T, kinds []sim.FaultKind, weights []int) sim.FaultKind {
	total := 0
	for _, w := range weights {
		total += w
	}
	x := rapid.IntRange(0, total-1).Draw(t, "kind")
	for i, w := range weights {
		if x < w {
			return kinds[i]
		}
		x -= w
	}
	return kinds[len(kinds)-1]
}

// scaled returns the network with every delay (default and per link; a fixed value, a
// uniform range's ends, a lognormal's median and 99th percentile) times f, each at least 1ns
// (when it was positive) and at most model.MaxDuration.
func (nw Network) scaled(f float64) Network {
	c := nw
	c.Delay = nw.Delay.scaled(f)
	c.Links = make([]LinkDelay, len(nw.Links))
	for i, l := range nw.Links {
		l.Delay = l.Delay.scaled(f)
		c.Links[i] = l
	}
	return c
}

func (d Delay) scaled(f float64) Delay {
	m := func(x time.Duration) time.Duration {
		if x <= 0 {
			return x
		}
		return time.Duration(math.Max(1, math.Min(math.Round(float64(x)*f), float64(model.MaxDuration))))
	}
	d.Value, d.Min, d.Max, d.Median, d.P99 = m(d.Value), m(d.Min), m(d.Max), m(d.Median), m(d.P99)
	return d
}
