package scenarios

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"

	"pgregory.net/rapid"

	"github.com/leasesim/leasesim/sim"
)

// Bounds limit what a generated fault schedule may contain: the fault kinds, how many
// faults, how long each lasts, the clock errors (which a correct protocol is expected to
// tolerate when its guard covers them) and the run's length. Generation is structured —
// one value per fault field, drawn by rapid, the values of one fault one group of draws
// — so that shrinking removes whole faults (any of them, not only the last), moves them
// earlier, shortens them, aims them at the first holder and pulls drifts, offsets and
// steps towards zero. A fault's kind is drawn uniformly among Kinds (kindIndex), and each
// node it names uniformly among those it may name (pick).
//
// MinDuration and MaxDuration bound the part of the run in which faults happen; a
// fault-free Tail follows it, in which the liveness expectation is checked.
type Bounds struct {
	Kinds       []sim.FaultKind
	MaxFaults   int
	MaxLength   time.Duration
	MaxDriftPPM float64
	MaxOffset   time.Duration
	MaxStep     time.Duration
	MinDuration time.Duration
	MaxDuration time.Duration
	Tail        time.Duration
	// Swarm makes each schedule first draw its mix by the swarm rule (swarm.go): which
	// Kinds are on, their lengths' factors and the network's delay scale, as a swarm
	// `random:` entry's seed does.
	Swarm bool
}

// tenths is the unit of generated fault times and lengths.
const tenths = 100 * time.Millisecond

// DefaultKinds are the fault kinds generated when a scenario names none.
var DefaultKinds = []sim.FaultKind{sim.FaultPartition, sim.FaultCut, sim.FaultCutOneway, sim.FaultIsolate,
	sim.FaultCrash, sim.FaultPause, sim.FaultSlow, sim.FaultLossy, sim.FaultClockStep, sim.FaultDrift}

// BoundsFrom derives generation bounds from a scenario: the kinds, mean length, step and
// drift bounds of its random entries (or DefaultKinds), the drift and offset ranges of
// its default clock, and its duration as the longest run. Fixed faults in the scenario
// stay as they are; only its random entries are replaced by generated faults. The tail is
// the scenario's, or DefaultGeneratedTail after its whole duration when it has none.
func BoundsFrom(sc *Scenario) Bounds {
	faulty, tail := sc.Duration, sc.Tail
	if tail == 0 {
		tail = DefaultGeneratedTail
	} else {
		faulty = sc.HealBy()
	}
	b := Bounds{MaxFaults: 8, MaxLength: 30 * time.Second, MaxStep: time.Second,
		MaxDuration: faulty, MinDuration: min(10*time.Second, faulty), Tail: tail}
	if def, ok := sc.Clocks["default"]; ok {
		b.MaxDriftPPM, b.MaxOffset = def.DriftPPM, def.Offset
	}
	for _, f := range sc.Faults {
		r := f.Random
		if r == nil {
			continue
		}
		for _, k := range r.Kinds {
			if !slices.Contains(b.Kinds, k) {
				b.Kinds = append(b.Kinds, k)
			}
		}
		b.Swarm = b.Swarm || r.Swarm
		b.MaxLength = 3 * r.MeanLength
		if r.MaxStep > 0 {
			b.MaxStep = r.MaxStep
		}
		if r.MaxDriftPPM > 0 {
			b.MaxDriftPPM = math.Max(b.MaxDriftPPM, r.MaxDriftPPM)
		}
		if n := int(2 * (faulty - r.From) / max(r.MeanGap, 1)); n > b.MaxFaults {
			b.MaxFaults = min(n, 40)
		}
	}
	if len(b.Kinds) == 0 {
		b.Kinds = DefaultKinds
	}
	return b
}

// Generate draws a variant of sc, as GenerateMix does, without the swarm mix's description.
func Generate(t *rapid.T, sc *Scenario, b Bounds) *Scenario {
	g, _ := GenerateMix(t, sc, b)
	return g
}

// GenerateMix draws a variant of sc: some of its fixed faults, then up to MaxFaults generated ones
// in place of its random entries, a generated clock per node inside the bounds, a
// generated run length, and one seed. The run ends with the fault-free tail b.Tail: every
// fault heals when it starts (a fixed fault that would last longer is cut short there), and
// the liveness expectation (the scenario's recovers_within, or its default) is checked in
// it. The result is an ordinary scenario: Marshal writes it as a file that `leasesim run`
// reproduces.
//
// With b.Swarm the schedule first draws its mix by the rule a swarm entry's seed follows
// (swarm.go; FORMAT.md, random, swarm): which kinds are on (each with probability 1/2, at
// least one), a length factor per kind (1/2 to 2) and a scale of the network's delays
// (1/4 to 4). Its faults are then of the kinds that are on only, their count bounded by
// b.MaxFaults times the mix's total rate over the fixed mix's (each kind that is on at
// twice its fixed-mix rate), each fault's length by b.MaxLength times its kind's factor,
// and the generated scenario's network is the scaled one. The mix is described in the
// string returned ("" without b.Swarm). It is drawn by rapid from fair coins like every
// other value, so shrinking simplifies it too, towards every kind on, lengths and delays
// as written.
func GenerateMix(t *rapid.T, sc *Scenario, b Bounds) (*Scenario, string) {
	g, m := generate(t, sc, b)
	if m == nil {
		return g, ""
	}
	return g, m.desc
}

// generate is GenerateMix, with the swarm mix drawn (nil without b.Swarm).
func generate(t *rapid.T, sc *Scenario, b Bounds) (*Scenario, *rapidSwarm) {
	out := *sc
	// Values are drawn in coarse units (seconds, 100ms, ms): rapid biases integers towards
	// small ones by drawing a geometric number of bits, so nanosecond ranges would almost
	// always come out tiny, while a few hundred units spread over the whole range.
	faulty := b.MinDuration + time.Second*time.Duration(rapid.Int64Range(0, int64((b.MaxDuration-b.MinDuration)/time.Second)).Draw(t, "duration s"))
	out.Duration, out.Tail = faulty+b.Tail, b.Tail
	if b.Tail > 0 && out.Expect.RecoversWithin == 0 {
		out.Expect.RecoversWithin = DefaultRecoversWithin(b.Tail)
	}
	out.Seeds = Seeds{From: rapid.Uint64Range(1, 1<<20).Draw(t, "seed"), Count: 1}
	out.Expect.Seeds = 1
	out.Faults = nil
	for i, f := range sc.Faults {
		// A fixed fault of the scenario is kept or dropped by a draw of its own, so that
		// shrinking can remove the ones a failure does not need.
		if f.Random == nil && f.At < faulty && rapid.Bool().Draw(t, fmt.Sprintf("keep fault %d", i)) {
			instant := f.Kind == sim.FaultClockStep || f.Kind == sim.FaultDrift
			if !instant && (f.Until == 0 || f.Until > faulty) {
				f.Until = faulty
			}
			out.Faults = append(out.Faults, f)
		}
	}
	nodes := sc.nodeNames()
	holders := sc.Holders
	out.Clocks = map[string]Clock{}
	for k, v := range sc.Clocks {
		out.Clocks[k] = v
	}
	if b.MaxDriftPPM > 0 || b.MaxOffset > 0 {
		delete(out.Clocks, "default")
		if def := sc.Clocks["default"]; def.Periodic != nil || def.Slew != nil {
			// The drawn drifts and offsets replace the default's; its swing and slew stay.
			out.Clocks["default"] = Clock{Periodic: def.Periodic, Slew: def.Slew}
		}
		for _, n := range nodes {
			if _, fixed := sc.Clocks[n]; fixed {
				continue
			}
			c := Clock{HasDrift: true, HasOffset: true}
			c.DriftPPM = float64(rapid.Int64Range(-int64(b.MaxDriftPPM), int64(b.MaxDriftPPM)).Draw(t, "drift ppm "+n))
			c.Offset = time.Millisecond * time.Duration(rapid.Int64Range(-int64(b.MaxOffset/time.Millisecond), int64(b.MaxOffset/time.Millisecond)).Draw(t, "offset ms "+n))
			out.Clocks[n] = c
		}
	}
	issuers := IssuerNames(sc.Issuers)
	kinds, maxFaults := b.Kinds, b.MaxFaults
	maxLength := func(sim.FaultKind) time.Duration { return b.MaxLength }
	var mix *rapidSwarm
	if b.Swarm {
		// The swarm rule's mix (swarm.go): faults of the kinds that are on only, as many
		// as their total rate over the fixed mix's says, each kind's lengths scaled by its
		// factor, the network's delays by the schedule's scale.
		m := drawSwarmRapid(t, b.Kinds)
		kinds, mix = m.kinds, &m
		maxFaults = max(1, int(math.Round(float64(b.MaxFaults)*m.rate)))
		maxLength = func(k sim.FaultKind) time.Duration {
			return time.Duration(math.Round(float64(b.MaxLength) * m.length[k]))
		}
		out.Network = sc.Network.scaled(m.delay)
	}
	n := rapid.IntRange(0, maxFaults).Draw(t, "faults")
	busy := map[string][][2]time.Duration{}
	for _, f := range out.Faults {
		if key := busyKey(f); key != "" {
			busy[key] = append(busy[key], [2]time.Duration{f.At, busyEnd(f, out.Duration)})
		}
	}
	draw := faultDraw{faulty: faulty, kinds: kinds, maxLength: maxLength, b: b, nodes: nodes, holders: holders, issuers: issuers}
	for i := 0; i < n; i++ {
		// Each fault is one generator, so that its draws are one group, which shrinking
		// can remove whole (lowering the count at once) wherever it is in the list.
		d := rapid.Custom(draw.fault).Draw(t, "fault")
		if !d.ok {
			continue
		}
		f := d.f
		// Keep the schedule valid: one crash or pause per node at a time, one drift
		// change per node and instant, one reorder window at a time.
		if key := busyKey(f); key != "" {
			end := busyEnd(f, out.Duration)
			clash := false
			for _, s := range busy[key] {
				if f.At < s[1] && s[0] < end {
					clash = true
				}
			}
			if clash {
				continue
			}
			busy[key] = append(busy[key], [2]time.Duration{f.At, end})
		}
		out.Faults = append(out.Faults, f)
	}
	slices.SortStableFunc(out.Faults, func(a, c Fault) int { return cmp.Compare(a.At, c.At) })
	return &out, mix
}

// faultDraw draws one generated fault within a schedule's bounds (generate).
type faultDraw struct {
	faulty    time.Duration
	kinds     []sim.FaultKind
	maxLength func(sim.FaultKind) time.Duration
	b         Bounds
	nodes     []string
	holders   []string
	issuers   []string
}

// drawn is a drawn fault, or none (ok false) when its draws make no valid fault.
type drawn struct {
	f  Fault
	ok bool
}

// pick draws one of among, each equally likely (fairIndex), as a fault's kind is drawn:
// rapid.IntRange, which drew it before, favours the first names (of five nodes, the first
// two came about 1.3× as often as each of the others). Shrinking leads to the first name
// (every coin false). One name is taken without a draw.
func pick(t *rapid.T, label string, among []string) string {
	switch len(among) {
	case 0:
		panic("scenarios: a generated fault picks its " + label + " among no nodes")
	case 1:
		return among[0]
	}
	return among[fairIndex(label, len(among)).Draw(t, label)]
}

// fault draws a fault: its kind (each equally likely: kindIndex), start, length and
// the fields of its kind.
func (d faultDraw) fault(t *rapid.T) drawn {
	kind := d.kinds[0] // one kind: nothing to draw (a generator must draw something)
	if len(d.kinds) > 1 {
		kind = d.kinds[kindIndex(len(d.kinds)).Draw(t, "kind")]
	}
	at := tenths * time.Duration(rapid.Int64Range(0, int64((d.faulty-1)/tenths)).Draw(t, "at (100ms)"))
	length := tenths * time.Duration(rapid.Int64Range(1, int64(max(d.maxLength(kind), tenths)/tenths)).Draw(t, "length (100ms)"))
	f := Fault{Kind: kind, At: at, Until: min(at+length, d.faulty)}
	if f.Until <= f.At {
		return drawn{}
	}
	target := func() string {
		if rapid.Bool().Draw(t, "aim at leader") {
			return sim.TargetLeader
		}
		return pick(t, "holder", d.holders)
	}
	switch kind {
	case sim.FaultPartition:
		var a, c []string
		for _, nd := range d.nodes {
			if rapid.Bool().Draw(t, "side of "+nd) {
				a = append(a, nd)
			} else {
				c = append(c, nd)
			}
		}
		if len(a) == 0 || len(c) == 0 {
			return drawn{}
		}
		f.Groups = [][]string{a, c}
	case sim.FaultCut:
		f.Groups = [][]string{{target()}, d.issuers}
	case sim.FaultCutOneway:
		h := []string{target()}
		if rapid.Bool().Draw(t, "issuer to holder") {
			f.From, f.To = d.issuers, h
		} else {
			f.From, f.To = h, d.issuers
		}
	case sim.FaultIsolate:
		f.Node = target()
	case sim.FaultCrash, sim.FaultPause:
		f.Node = target()
	case sim.FaultIssuerCrash:
		f.Kind, f.Node = sim.FaultCrash, pick(t, "issuer", d.issuers)
	case sim.FaultSlow:
		f.From, f.To = []string{pick(t, "from", d.nodes)}, []string{pick(t, "to", d.nodes)}
		f.By = time.Millisecond * time.Duration(rapid.Int64Range(1, int64(max(d.b.MaxLength/3, time.Millisecond)/time.Millisecond)).Draw(t, "by ms"))
	case sim.FaultLossy:
		f.From, f.To = []string{pick(t, "from", d.nodes)}, []string{pick(t, "to", d.nodes)}
		f.P = float64(rapid.IntRange(10, 100).Draw(t, "p %")) / 100
	case sim.FaultClockStep:
		f.Node, f.Until = pick(t, "node", d.nodes), 0
		f.By = time.Millisecond * time.Duration(rapid.Int64Range(-int64(d.b.MaxStep/time.Millisecond), int64(d.b.MaxStep/time.Millisecond)).Draw(t, "step ms"))
	case sim.FaultDrift:
		f.Node, f.Until = pick(t, "node", d.nodes), 0
		f.PPM = float64(rapid.Int64Range(-int64(d.b.MaxDriftPPM), int64(d.b.MaxDriftPPM)).Draw(t, "ppm"))
	case sim.FaultReorder:
		f.Window = time.Millisecond * time.Duration(rapid.Int64Range(1, 100).Draw(t, "window ms"))
	default:
		return drawn{}
	}
	return drawn{f: f, ok: true}
}

// kindIndex draws a fault's kind among n, each equally likely: fair coins by rejection
// (rapidSource.index), not rapid.SampledFrom, whose index draw favours the first kinds
// listed. It is one generator, so that the coins are one group of rapid's draws, which
// shrinking removes or moves as a whole, as it did SampledFrom's; every coin false,
// where shrinking leads, is the first kind.
func kindIndex(n int) *rapid.Generator[int] { return fairIndex("kind", n) }

// fairIndex draws an index in [0, n), each equally likely, from fair coins by rejection
// (rapidSource.index), as one generator: its coins are one group of rapid's draws, and
// every coin false, where shrinking leads, is 0.
func fairIndex(label string, n int) *rapid.Generator[int] {
	return rapid.Custom(func(t *rapid.T) int { return rapidSource{t}.index(label, n) })
}

// busyKey names what a fault occupies exclusively — a node's process (crash, pause), a
// node's drift at one instant, the reorder window — or "" when faults of its kind may
// overlap. The parser rejects overlaps of these as contradictory.
func busyKey(f Fault) string {
	switch f.Kind {
	case sim.FaultCrash, sim.FaultPause:
		return f.Node
	case sim.FaultReorder:
		return "reorder"
	case sim.FaultDrift:
		return "drift " + f.Node
	}
	return ""
}

func busyEnd(f Fault, limit time.Duration) time.Duration {
	if f.Kind == sim.FaultDrift {
		return f.At + 1
	}
	return f.end(limit)
}
