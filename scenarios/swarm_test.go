package scenarios

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/leasesim/leasesim/sim"
	"github.com/leasesim/leasesim/stats"
)

// swarmScenario is a scenario whose second fault is a swarm random entry of five kinds.
const swarmScenario = `name: sw
protocol: testproto
holders: [A, B, C]
duration: 10m
faults:
  - {at: 1s, crash: A, restart: 2s}
  - random: {kinds: [partition, crash, pause, slow, lossy], mean_gap: 10s, mean_length: 2s, swarm: true}
`

func parseSwarm(t *testing.T) *Scenario {
	t.Helper()
	sc, err := Parse([]byte(swarmScenario), "sw.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !sc.Faults[1].Random.Swarm || !sc.HasSwarm() {
		t.Fatalf("swarm: true not parsed: %+v", sc.Faults[1].Random)
	}
	return sc
}

// TestSwarmDrawIsPerSeed: a seed always draws the same mix, different seeds draw
// different ones, and the entry's index is part of the stream.
func TestSwarmDrawIsPerSeed(t *testing.T) {
	r := parseSwarm(t).Faults[1].Random
	distinct := map[string]bool{}
	for seed := uint64(1); seed <= 50; seed++ {
		a, b := r.DrawSwarm(seed, 1), r.DrawSwarm(seed, 1)
		if a.String() != b.String() {
			t.Fatalf("seed %d drew two mixes: %s / %s", seed, a, b)
		}
		distinct[a.String()] = true
	}
	if len(distinct) < 45 {
		t.Errorf("50 seeds drew only %d distinct mixes", len(distinct))
	}
	same := 0
	for seed := uint64(1); seed <= 50; seed++ {
		if strings.TrimPrefix(r.DrawSwarm(seed, 1).String(), "faults[1]") == strings.TrimPrefix(r.DrawSwarm(seed, 2).String(), "faults[2]") {
			same++
		}
	}
	if same > 2 {
		t.Errorf("entries 1 and 2 drew the same mix for %d of 50 seeds: the entry is not part of the stream", same)
	}
}

// TestSwarmDrawFollowsTheRule: over many seeds every kind is on in about half of them
// and off in the rest, at least one kind is always on; a kind that is on comes at its
// own rate — twice its fixed-mix rate, whichever other kinds are on — so that over seeds
// it comes as often as in the fixed mix; the total rate is the sum of the kinds' rates;
// each mean length lies within [1/2, 2] of the configured one.
func TestSwarmDrawFollowsTheRule(t *testing.T) {
	r := parseSwarm(t).Faults[1].Random
	const n = 4000
	k := float64(len(r.Kinds))
	fixedRate := 1 / (k * float64(r.MeanGap)) // one kind's rate in the fixed mix
	on := map[sim.FaultKind]int{}
	sumRate := map[sim.FaultKind]float64{} // over all seeds, 0 when off
	// A kind's rate when on, in seeds with few (≤ 2) and many (≥ 4) kinds on.
	var few, many []float64
	for seed := uint64(1); seed <= n; seed++ {
		m := r.DrawSwarm(seed, 1)
		if len(m.On) == 0 || len(m.On)+len(m.Off) != len(r.Kinds) {
			t.Fatalf("seed %d: %d on, %d off of %d kinds", seed, len(m.On), len(m.Off), len(r.Kinds))
		}
		if m.Configured != r.MeanGap {
			t.Fatalf("seed %d: configured %s, want %s", seed, m.Configured, r.MeanGap)
		}
		rate := 0.0
		for _, kd := range m.On {
			if kd.MeanLength < r.MeanLength/2 || kd.MeanLength > 2*r.MeanLength {
				t.Fatalf("seed %d: %s mean length %s outside [%s, %s]", seed, kd.Kind, kd.MeanLength, r.MeanLength/2, 2*r.MeanLength)
			}
			on[kd.Kind]++
			own := 1 / float64(kd.MeanGap)
			rate += own
			sumRate[kd.Kind] += own
			if x := own / (fixedRate / SwarmOnProbability); math.Abs(x-1) > 1e-6 {
				t.Fatalf("seed %d: %s every %s: %.6f times twice its fixed-mix rate; want exactly that", seed, kd.Kind, kd.MeanGap, x)
			}
			switch {
			case len(m.On) <= 2:
				few = append(few, own/fixedRate)
			case len(m.On) >= 4:
				many = append(many, own/fixedRate)
			}
		}
		if got := rate * float64(m.MeanGap); math.Abs(got-1) > 1e-6 {
			t.Fatalf("seed %d: the kinds' rates add up to %.6f of the total", seed, got)
		}
	}
	for _, kd := range r.Kinds {
		// On with probability 1/2, plus 1/2^5 · 1/5 from the one-kind-on rule: 0.506.
		if f := float64(on[kd]) / n; f < 0.46 || f > 0.55 {
			t.Errorf("%s on in %.3f of %d seeds; expected about 0.506", kd, f, n)
		}
		// Over seeds, as often as in the fixed mix (0.506 × 2 = 1.01, give or take 0.016).
		if f := sumRate[kd] / n / fixedRate; f < 0.94 || f > 1.08 {
			t.Errorf("%s comes %.3f times as often as in the fixed mix, averaged over %d seeds; expected about 1", kd, f, n)
		}
	}
	// Splitting a total among the kinds that are on would give a kind in a seed with
	// few kinds on about twice the rate it gets in one with many.
	if ratio := stats.Mean(few) / stats.Mean(many); ratio < 0.85 || ratio > 1.18 {
		t.Errorf("a kind's mean rate with at most 2 kinds on is %.3f times its rate with at least 4 on; expected about 1 (its own rate)", ratio)
	}
}

// TestSwarmScalesTheNetwork: a swarm scenario's seed scales every delay of the network
// (default and per link) by its own factor, log-uniform between 1/4 and 4, recorded in
// the meta; loss and duplication stay; a scenario without swarm keeps its network.
func TestSwarmScalesTheNetwork(t *testing.T) {
	sc := swarmNetScenario(t)
	const n = 1000
	var above int
	lo, hi := math.Inf(1), 0.0
	for seed := uint64(1); seed <= n; seed++ {
		cfg, err := sc.Config(seed)
		if err != nil {
			t.Fatal(err)
		}
		f := DrawDelayScale(seed)
		if f < 1/SwarmMaxDelayScale || f >= SwarmMaxDelayScale {
			t.Fatalf("seed %d: scale %g outside [1/%g, %g)", seed, f, SwarmMaxDelayScale, SwarmMaxDelayScale)
		}
		lo, hi = math.Min(lo, f), math.Max(hi, f)
		if f > 1 {
			above++
		}
		ms := func(x float64) int64 { return int64(math.Round(x * f * float64(time.Millisecond))) }
		nw := cfg.Network
		if nw.Delay.Median != ms(2) || nw.Delay.P99 != ms(40) || nw.Loss != 0.01 ||
			nw.Links[0].Delay.Min != ms(10) || nw.Links[0].Delay.Max != ms(30) || nw.Links[1].Delay.Fixed != ms(5) {
			t.Fatalf("seed %d: scale %g, network %+v", seed, f, nw)
		}
		if want := fmt.Sprintf("network: delays × %.2f", f); !slices.Contains(cfg.Meta.Swarm, want) {
			t.Fatalf("seed %d: meta.swarm %q lacks %q", seed, cfg.Meta.Swarm, want)
		}
	}
	if f := float64(above) / n; f < 0.45 || f > 0.55 || lo > 0.3 || hi < 3.3 {
		t.Errorf("scales over %d seeds: %.3f above 1, from %g to %g; expected about half, from near 1/4 to near 4", n, f, lo, hi)
	}
	plain := *sc
	plain.Faults = []Fault{sc.Faults[0]}
	cfg, err := plain.Config(7)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Network.Delay.Median != int64(2*time.Millisecond) || cfg.Meta.Swarm != nil {
		t.Errorf("without swarm: median %d, meta.swarm %q", cfg.Network.Delay.Median, cfg.Meta.Swarm)
	}
}

// TestSwarmMixInConfig: a swarm entry becomes one kernel entry per kind that is on, with
// that kind's drawn gap, and the history's meta records the mix; other faults and
// entries without swarm are left as they are.
func TestSwarmMixInConfig(t *testing.T) {
	sc := parseSwarm(t)
	for seed := uint64(1); seed <= 20; seed++ {
		cfg, err := sc.Config(seed)
		if err != nil {
			t.Fatal(err)
		}
		mix := sc.Faults[1].Random.DrawSwarm(seed, 1)
		want := []string{mix.String(), fmt.Sprintf("network: delays × %.2f", DrawDelayScale(seed))}
		if !slices.Equal(cfg.Meta.Swarm, want) {
			t.Fatalf("seed %d: meta.swarm %q, want %q", seed, cfg.Meta.Swarm, want)
		}
		if len(cfg.Faults) != 1+len(mix.On) || cfg.Faults[0].Kind != sim.FaultCrash {
			t.Fatalf("seed %d: %d kernel faults for a fixed crash and %d kinds on", seed, len(cfg.Faults), len(mix.On))
		}
		for i, k := range mix.On {
			r := cfg.Faults[1+i].Random
			if r == nil || !slices.Equal(r.Kinds, []sim.FaultKind{k.Kind}) || r.MeanGap != int64(k.MeanGap) || r.MeanLength != int64(k.MeanLength) {
				t.Fatalf("seed %d: kernel entry %d is %+v, want %s every %s", seed, 1+i, r, k.Kind, k.MeanGap)
			}
		}
	}
	plain := *sc
	plain.Faults = slices.Clone(sc.Faults)
	r := *plain.Faults[1].Random
	r.Swarm = false
	plain.Faults[1].Random = &r
	if plain.HasSwarm() {
		t.Fatal("HasSwarm with swarm off")
	}
	cfg, err := plain.Config(1)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Meta.Swarm != nil || len(cfg.Faults) != 2 || len(cfg.Faults[1].Random.Kinds) != 5 {
		t.Errorf("without swarm: meta.swarm %q, %d kernel faults", cfg.Meta.Swarm, len(cfg.Faults))
	}
	// WithSwarm turns it back on, in a copy.
	again := plain.WithSwarm()
	if !again.Faults[1].Random.Swarm || plain.Faults[1].Random.Swarm {
		t.Errorf("WithSwarm: copy %v, original %v", again.Faults[1].Random.Swarm, plain.Faults[1].Random.Swarm)
	}
}

// TestSwarmRoundTrip: swarm: true is printed and parsed back.
func TestSwarmRoundTrip(t *testing.T) {
	sc := parseSwarm(t)
	printed := sc.Marshal()
	if !strings.Contains(string(printed), "swarm: true") {
		t.Fatalf("swarm: true not printed:\n%s", printed)
	}
	again, err := Parse(printed, "printed.yaml")
	if err != nil {
		t.Fatal(err)
	}
	equalScenarios(t, sc, again)
}

// swarmNetScenario is swarmScenario with a network of a default delay and two links.
func swarmNetScenario(t *testing.T) *Scenario {
	t.Helper()
	text := strings.Replace(swarmScenario, "duration: 10m\n", `duration: 10m
network:
  delay: {dist: lognormal, median: 2ms, p99: 40ms}
  loss: 0.01
  links:
    - {from: [A], to: [B], delay: {dist: uniform, min: 10ms, max: 30ms}}
    - {from: [B], to: [C], delay: 5ms}
`, 1)
	sc, err := Parse([]byte(text), "net.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// TestGenerateSwarm: with Bounds.Swarm each generated schedule draws its mix by the
// swarm rule and follows it: every kind is sometimes off and sometimes on, faults come
// only of the kinds that are on, at most MaxFaults times the mix's total rate over the
// fixed mix's, each no longer than MaxLength times its kind's factor; the network's
// delays are all scaled by the mix's factor; the result is a scenario that prints and
// parses back unchanged (explore writes it, and it reproduces without swarm). Without
// Swarm no mix is drawn and the network is as written.
func TestGenerateSwarm(t *testing.T) {
	sc := swarmNetScenario(t)
	b := BoundsFrom(sc)
	if !b.Swarm {
		t.Fatal("BoundsFrom: a swarm entry does not make swarm bounds")
	}
	on, off := map[sim.FaultKind]int{}, map[sim.FaultKind]int{}
	var slower, faster, longer int
	ms := func(x float64, f float64) time.Duration {
		return time.Duration(math.Round(x * f * float64(time.Millisecond)))
	}
	rapid.Check(t, func(rt *rapid.T) {
		g, m := generate(rt, sc, b)
		if m == nil || m.desc == "" {
			rt.Fatal("no mix drawn")
		}
		for _, k := range b.Kinds {
			if slices.Contains(m.kinds, k) {
				on[k]++
				if !strings.Contains(m.desc, string(k)+" (lengths × ") {
					rt.Fatalf("mix %q does not name %s on", m.desc, k)
				}
			} else {
				off[k]++
			}
		}
		if want := float64(len(m.kinds)) / float64(len(b.Kinds)) / SwarmOnProbability; m.rate != want {
			rt.Fatalf("%d of %d kinds on: rate × %g, want × %g", len(m.kinds), len(b.Kinds), m.rate, want)
		}
		generated := 0
		for _, f := range g.Faults {
			if own := sc.Faults[0]; f.Kind == own.Kind && f.At == own.At && f.Node == own.Node {
				continue // the scenario's own crash, kept by a draw
			}
			generated++
			if !slices.Contains(m.kinds, f.Kind) {
				rt.Fatalf("a %s fault, but the mix is %q", f.Kind, m.desc)
			}
			if l := f.Until - f.At; l > time.Duration(math.Round(float64(b.MaxLength)*m.length[f.Kind])) {
				rt.Fatalf("a %s fault of %s: longer than %s × %.3f", f.Kind, l, b.MaxLength, m.length[f.Kind])
			} else if l > b.MaxLength {
				longer++
			}
		}
		if limit := max(1, int(math.Round(float64(b.MaxFaults)*m.rate))); generated > limit {
			rt.Fatalf("%d generated faults, more than %d × %g", generated, b.MaxFaults, m.rate)
		}
		nw := g.Network
		if nw.Delay.Median != ms(2, m.delay) || nw.Delay.P99 != ms(40, m.delay) || nw.Loss != 0.01 ||
			nw.Links[0].Delay.Min != ms(10, m.delay) || nw.Links[0].Delay.Max != ms(30, m.delay) || nw.Links[1].Delay.Value != ms(5, m.delay) {
			rt.Fatalf("delay scale %g, network %+v", m.delay, nw)
		}
		if m.delay > 1 {
			slower++
		} else if m.delay < 1 {
			faster++
		}
		if !strings.HasSuffix(m.desc, fmt.Sprintf("network delays × %.2f", m.delay)) {
			rt.Fatalf("mix %q does not give the delay scale %g", m.desc, m.delay)
		}
		again, err := Parse(g.Marshal(), "generated.yaml")
		if err != nil {
			rt.Fatalf("generated scenario does not parse: %v\n%s", err, g.Marshal())
		}
		equalScenarios(t, g, again)
	})
	for _, k := range b.Kinds {
		if on[k] == 0 || off[k] == 0 {
			t.Errorf("%s: on in %d schedules, off in %d; expected both", k, on[k], off[k])
		}
	}
	if slower == 0 || faster == 0 || longer == 0 {
		t.Errorf("%d schedules with a slower network, %d with a faster one, %d faults longer than MaxLength; expected some of each", slower, faster, longer)
	}
	b.Swarm = false
	rapid.Check(t, func(rt *rapid.T) {
		g, mix := GenerateMix(rt, sc, b)
		if mix != "" || g.Network.Delay.Median != 2*time.Millisecond {
			rt.Fatalf("without swarm: a mix %q, median delay %s", mix, g.Network.Delay.Median)
		}
	})
}

// TestSwarmRapidFollowsTheRule: explore's draw of the mix (rapid's coins) has the
// distribution of the suite's (a seed's PCG stream), since both are the one rule over
// different sources: each kind on in about half the draws, exponents uniform in [-1, 1)
// (lengths within [1/2, 2], delay scales within [1/4, 4], about half above 1), at least
// one kind on, and the uniform choice of the one kind on when all came out off; and with
// every coin false (rapid's simplest value) the mix is the fixed one: every kind on,
// factors of 1.
func TestSwarmRapidFollowsTheRule(t *testing.T) {
	kinds := []sim.FaultKind{sim.FaultPartition, sim.FaultCrash, sim.FaultPause}
	gen := rapid.Custom(func(t *rapid.T) rapidSwarm { return drawSwarmRapid(t, kinds) })
	const n = 4000
	on := map[sim.FaultKind]int{}
	oneOn := map[sim.FaultKind]int{}
	var exps, delays []float64
	for i := 0; i < n; i++ {
		m := gen.Example(i)
		if len(m.kinds) == 0 {
			t.Fatalf("draw %d: no kind on", i)
		}
		for _, k := range m.kinds {
			on[k]++
			if f := m.length[k]; f < 1/SwarmMaxLength || f >= SwarmMaxLength {
				t.Fatalf("draw %d: length factor %g outside [1/%g, %g)", i, f, SwarmMaxLength, SwarmMaxLength)
			}
			exps = append(exps, math.Log(m.length[k])/math.Log(SwarmMaxLength))
		}
		if len(m.kinds) == 1 {
			oneOn[m.kinds[0]]++
		}
		if m.delay < 1/SwarmMaxDelayScale || m.delay >= SwarmMaxDelayScale {
			t.Fatalf("draw %d: delay scale %g outside [1/%g, %g)", i, m.delay, SwarmMaxDelayScale, SwarmMaxDelayScale)
		}
		delays = append(delays, math.Log(m.delay)/math.Log(SwarmMaxDelayScale))
	}
	for _, k := range kinds {
		// 1/2 plus 1/8 · 1/3 from the one-kind-on rule: 0.542.
		if f := float64(on[k]) / n; f < 0.51 || f > 0.57 {
			t.Errorf("%s on in %.3f of %d draws; expected about 0.542", k, f, n)
		}
		// Each kind alone on: 3/8 · 1/3 (one of three on) + 1/8 · 1/3 (none, then it) = 1/6.
		if f := float64(oneOn[k]) / n; f < 0.14 || f > 0.19 {
			t.Errorf("%s the only kind on in %.3f of %d draws; expected about 0.167", k, f, n)
		}
	}
	for name, us := range map[string][]float64{"length": exps, "delay": delays} {
		// Uniform in [-1, 1): mean -1/256 (the grid), a quarter beyond ±1/2 each side.
		var below, above int
		for _, u := range us {
			if u < -0.5 {
				below++
			} else if u >= 0.5 {
				above++
			}
		}
		if mu := stats.Mean(us); math.Abs(mu) > 0.04 {
			t.Errorf("%s exponents: mean %.3f; expected about 0", name, mu)
		}
		if fb, fa := float64(below)/float64(len(us)), float64(above)/float64(len(us)); fb < 0.22 || fb > 0.28 || fa < 0.22 || fa > 0.28 {
			t.Errorf("%s exponents: %.3f below -1/2, %.3f above 1/2; expected about 1/4 each (uniform)", name, fb, fa)
		}
	}
	// Every coin false (what rapid shrinks to): on, a factor of 1. And the exponent's
	// 2^swarmBits coin values are each point of the grid of [-1, 1) once: uniform.
	if !swarmCoinOn(0) || swarmExponent(0) != 0 {
		t.Errorf("every coin false: on %v, exponent %g; want on, 0", swarmCoinOn(0), swarmExponent(0))
	}
	seen := map[float64]bool{}
	onCount := 0
	for v := uint64(0); v < 1<<swarmBits; v++ {
		u := swarmExponent(v)
		if u < -1 || u >= 1 || seen[u] || u*(1<<(swarmBits-1)) != math.Round(u*(1<<(swarmBits-1))) {
			t.Fatalf("coins %08b: exponent %g (not a new point of the grid of [-1, 1))", v, u)
		}
		seen[u] = true
		if swarmCoinOn(v) {
			onCount++
		}
	}
	if f := float64(onCount) / (1 << swarmBits); f != SwarmOnProbability {
		t.Errorf("on for %.4f of the coin values; want SwarmOnProbability %g", f, SwarmOnProbability)
	}
}
