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
