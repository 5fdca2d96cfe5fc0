package sim

import "math/rand/v2"

// streamKey derives a stream key from a concern's name. Each concern (the network of one
// link, the clocks, each node, each fault) draws from its own PCG stream seeded with the
// run's seed and this key, so that a change in one concern's draws does not reshuffle
// the others — which is what lets shrinking remove a fault without changing the rest.
func streamKey(parts ...string) uint64 {
	h := uint64(0xcbf29ce484222325) // FNV-1a
	for _, p := range parts {
		for i := 0; i < len(p); i++ {
			h ^= uint64(p[i])
			h *= 0x100000001b3
		}
		h ^= 0xff
		h *= 0x100000001b3
	}
	return h
}

// newStream returns the random stream of one concern.
func newStream(seed uint64, parts ...string) *rand.Rand {
	return rand.New(rand.NewPCG(seed, streamKey(parts...)))
}

// splitMix is the per-link message stream: SplitMix64 (Steele, Lea and Flood), one
// addition and a few multiply-xorshifts per draw, which passes BigCrush. Links draw three
// words per message, the kernel's most frequent draw, where it costs a third of PCG.
// Its seed mixes the run's seed and the link's key, so that links stay independent.
type splitMix struct{ s uint64 }

func newSplitMix(seed uint64, parts ...string) splitMix {
	m := splitMix{s: seed ^ streamKey(parts...)*0x9e3779b97f4a7c15}
	m.Uint64() // move away from the raw seed
	return m
}

// Uint64 returns the next 64 random bits.
func (m *splitMix) Uint64() uint64 {
	m.s += 0x9e3779b97f4a7c15
	return splitMixOut(m.s)
}

// skip moves past the next word without mixing it, and returns the state that
// splitMixOut turns into that word, for a caller that may not need it.
func (m *splitMix) skip() uint64 {
	m.s += 0x9e3779b97f4a7c15
	return m.s
}

// splitMixOut is SplitMix64's output function: the word of state z.
func splitMixOut(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}
