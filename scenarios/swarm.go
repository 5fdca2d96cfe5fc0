package scenarios

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

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

// swarmSource is where the swarm rule takes its random choices. The rule itself
// (drawSwarmChoice, drawDelayScale) is written once, over this interface: the suite's and
// run's seeds draw from a PCG stream of their own (pcgSource), explore's schedules from
// rapid (rapidSource), so that the same rule holds for both and rapid can shrink a mix.
type swarmSource interface {
	// on draws whether kind is on: true with probability SwarmOnProbability.
	on(kind sim.FaultKind) bool
	// index draws one of 0, …, n-1 uniformly; label names the draw.
	index(label string, n int) int
	// exponent draws u uniform in [-1, 1), for a log-uniform factor m^u.
	exponent(label string) float64
}

// swarmChoice is one draw of the rule over a list of kinds: which are on, and each
// kind's length factor (drawn for every kind, on or off, so that turning a kind on or
// off does not move the other kinds' factors).
type swarmChoice struct {
	on     []bool
	length []float64
}

// drawSwarmChoice is the swarm rule's draw of kinds and lengths (FORMAT.md, random,
// swarm, items 1 and 3): each kind on with probability SwarmOnProbability, in the order
// listed; if every kind came out off, one drawn uniformly among them is on; then each
// kind's length factor SwarmMaxLength^u, u uniform in [-1, 1). Item 2 (a kind that is on
// comes at twice its fixed-mix rate) is swarmKindRate.
func drawSwarmChoice(src swarmSource, kinds []sim.FaultKind) swarmChoice {
	c := swarmChoice{on: make([]bool, len(kinds)), length: make([]float64, len(kinds))}
	anyOn := false
	for i, k := range kinds {
		c.on[i] = src.on(k)
		anyOn = anyOn || c.on[i]
	}
	if !anyOn {
		c.on[src.index("swarm: the one kind on", len(kinds))] = true
	}
	for i, k := range kinds {
		c.length[i] = math.Pow(SwarmMaxLength, src.exponent("swarm: "+string(k)+" length (log)"))
	}
	return c
}

// swarmKindRate is the swarm rule's rate of a kind that is on (FORMAT.md, random, swarm,
// item 2), as a multiple of its fixed-mix rate: 1/SwarmOnProbability, so that over seeds
// it comes as often as in the fixed mix.
func swarmKindRate() float64 { return 1 / SwarmOnProbability }

// rateFactor is the total rate of the kinds that are on over the fixed mix's total rate:
// each kind that is on comes at swarmKindRate times its fixed-mix rate (1/kinds of the
// total). Between swarmKindRate/kinds and SwarmMaxRate.
func (c swarmChoice) rateFactor() float64 {
	n := 0
	for _, on := range c.on {
		if on {
			n++
		}
	}
	return float64(n) * swarmKindRate() / float64(len(c.on))
}

// drawDelayScale is the swarm rule's scale of the network's delays (FORMAT.md, random,
// swarm, item 4): SwarmMaxDelayScale^u, u uniform in [-1, 1).
func drawDelayScale(src swarmSource) float64 {
	return math.Pow(SwarmMaxDelayScale, src.exponent("swarm: network delay scale (log)"))
}

// pcgSource draws the rule's choices from a seed's own PCG stream.
type pcgSource struct{ rng *rand.Rand }

func (p pcgSource) on(sim.FaultKind) bool     { return p.rng.Float64() < SwarmOnProbability }
func (p pcgSource) index(_ string, n int) int { return p.rng.IntN(n) }
func (p pcgSource) exponent(string) float64   { return 2*p.rng.Float64() - 1 }

// DrawSwarm draws the mix of kinds and rates of seed for the swarm entry faults[entry],
// from a stream of its own (the seed and the entry's index; no other draw of the run
// uses it, so the mix does not move the run's other draws and the same seed always draws
// the same mix). FORMAT.md (random, swarm) states the rule.
func (r *RandomFaults) DrawSwarm(seed uint64, entry int) SwarmMix {
	c := drawSwarmChoice(pcgSource{rand.New(rand.NewPCG(seed, swarmKey(entry)))}, r.Kinds)
	// A kind's rate when on, in faults per ns: swarmKindRate times its fixed-mix rate.
	own := swarmKindRate() / (float64(r.MeanGap) * float64(len(r.Kinds)))
	mix := SwarmMix{Entry: entry, Configured: r.MeanGap}
	sum := 0.0
	for i, kind := range r.Kinds {
		if !c.on[i] {
			mix.Off = append(mix.Off, kind)
			continue
		}
		sum += own
		gap := time.Duration(math.Round(1 / own))
		length := time.Duration(math.Round(c.length[i] * float64(r.MeanLength)))
		mix.On = append(mix.On, SwarmKind{Kind: kind, MeanGap: max(gap, 1), MeanLength: max(length, 1)})
	}
	mix.MeanGap = time.Duration(math.Round(1 / sum))
	return mix
}

// DrawDelayScale draws the factor by which a swarm seed scales the network's delays
// (every delay distribution of network:, default and per link), from a stream of its
// own: SwarmMaxDelayScale^u, u uniform in [-1, 1).
func DrawDelayScale(seed uint64) float64 {
	return drawDelayScale(pcgSource{rand.New(rand.NewPCG(seed, streamKey("scenarios/swarm/network")))})
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
