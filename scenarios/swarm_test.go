package scenarios

import (
	"math"
	"slices"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/leasesim/leasesim/sim"
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
// and off in the rest, at least one kind is always on, the total rate lies within
// [1/2, 2] of the configured one and is the sum of the kinds' rates, each kind's share
// stays within what the weights allow, and each mean length within [1/2, 2] of the
// configured one.
func TestSwarmDrawFollowsTheRule(t *testing.T) {
	r := parseSwarm(t).Faults[1].Random
	const n = 2000
	on := map[sim.FaultKind]int{}
	for seed := uint64(1); seed <= n; seed++ {
		m := r.DrawSwarm(seed, 1)
		if len(m.On) == 0 || len(m.On)+len(m.Off) != len(r.Kinds) {
			t.Fatalf("seed %d: %d on, %d off of %d kinds", seed, len(m.On), len(m.Off), len(r.Kinds))
		}
		if m.Configured != r.MeanGap || m.MeanGap < r.MeanGap/2 || m.MeanGap > 2*r.MeanGap {
			t.Fatalf("seed %d: total mean gap %s outside [%s, %s]", seed, m.MeanGap, r.MeanGap/2, 2*r.MeanGap)
		}
		rate := 0.0
		for _, k := range m.On {
			if k.MeanLength < r.MeanLength/2 || k.MeanLength > 2*r.MeanLength {
				t.Fatalf("seed %d: %s mean length %s outside [%s, %s]", seed, k.Kind, k.MeanLength, r.MeanLength/2, 2*r.MeanLength)
			}
			on[k.Kind]++
			rate += 1 / float64(k.MeanGap)
			// A kind's share of the total rate is w/Σw with weights in [1/4, 4].
			share := float64(m.MeanGap) / float64(k.MeanGap)
			if lo := 1 / (1 + 16*float64(len(m.On)-1)); share < lo*0.999 {
				t.Fatalf("seed %d: %s has %.4f of the rate, below %.4f", seed, k.Kind, share, lo)
			}
		}
		if got := rate * float64(m.MeanGap); math.Abs(got-1) > 1e-6 {
			t.Fatalf("seed %d: the kinds' rates add up to %.6f of the total", seed, got)
		}
	}
	for _, k := range r.Kinds {
		// On with probability 1/2, plus 1/2^5 · 1/5 from the one-kind-on rule: 0.506.
		if f := float64(on[k]) / n; f < 0.45 || f > 0.56 {
			t.Errorf("%s on in %.3f of %d seeds; expected about 0.506", k, f, n)
		}
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
		if !slices.Equal(cfg.Meta.Swarm, []string{mix.String()}) {
			t.Fatalf("seed %d: meta.swarm %q, want %q", seed, cfg.Meta.Swarm, mix.String())
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

// TestGenerateSwarm: with Bounds.Swarm each generated schedule draws a mix in which
// every kind is sometimes off and sometimes on, and draws its faults only from the kinds
// that are on; without it no mix is drawn.
func TestGenerateSwarm(t *testing.T) {
	sc := parseSwarm(t)
	b := BoundsFrom(sc)
	if !b.Swarm {
		t.Fatal("BoundsFrom: a swarm entry does not make swarm bounds")
	}
	on, off := map[string]int{}, map[string]int{}
	rapid.Check(t, func(rt *rapid.T) {
		g, mix := GenerateMix(rt, sc, b)
		if mix == "" {
			rt.Fatal("no mix described")
		}
		onPart, offPart, _ := strings.Cut(strings.TrimPrefix(mix, "on "), "; off ")
		for _, k := range b.Kinds {
			switch {
			case strings.Contains(onPart, string(k)+" weight"):
				on[string(k)]++
			case strings.Contains(offPart, string(k)):
				off[string(k)]++
			default:
				rt.Fatalf("mix %q names %s neither on nor off", mix, k)
			}
		}
		for _, f := range g.Faults {
			if own := sc.Faults[0]; f.Kind == own.Kind && f.At == own.At && f.Until == own.Until && f.Node == own.Node {
				continue // the scenario's own crash, kept by a draw
			}
			if !strings.Contains(onPart, string(f.Kind)+" weight") {
				rt.Fatalf("a %s fault, but the mix is %q", f.Kind, mix)
			}
		}
	})
	for _, k := range b.Kinds {
		if on[string(k)] == 0 || off[string(k)] == 0 {
			t.Errorf("%s: on in %d schedules, off in %d; expected both", k, on[string(k)], off[string(k)])
		}
	}
	b.Swarm = false
	rapid.Check(t, func(rt *rapid.T) {
		if _, mix := GenerateMix(rt, sc, b); mix != "" {
			rt.Fatalf("a mix %q without swarm", mix)
		}
	})
}
