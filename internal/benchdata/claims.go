package benchdata

import (
	"math/rand/v2"

	"github.com/leasesim/leasesim/history"
)

// Claims returns a history of n claims on the leader lease by holders A–E: consecutive
// terms of 1–10 s with gaps of 0–2 s, a renewal under a new epoch now and then, and one
// term in overlapEvery (0: none) starting up to 0.5 s before the previous one ended, so
// that P1 is violated about n/overlapEvery times. The same n, overlapEvery and seed give
// the same history.
func Claims(n, overlapEvery int, seed uint64) *history.History {
	const sec = int64(1e9)
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	holders := []string{"A", "B", "C", "D", "E"}
	claims := make([]history.Claim, 0, n)
	at := int64(0)
	epoch := uint64(0)
	for len(claims) < n {
		epoch++
		holder := holders[rng.IntN(len(holders))]
		length := int64(1+rng.IntN(10)) * sec
		from := at
		if overlapEvery > 0 && rng.IntN(overlapEvery) == 0 && from >= sec {
			from -= int64(rng.IntN(500)) * 1e6
		}
		claims = append(claims, history.Claim{Holder: holder, Lease: history.LeaderLease, Epoch: epoch, From: from, To: from + length, End: history.EndDeadline, Clock: "mono"})
		if rng.IntN(4) == 0 && len(claims) < n {
			epoch++
			renewal := from + length/2
			claims = append(claims, history.Claim{Holder: holder, Lease: history.LeaderLease, Epoch: epoch, From: renewal, To: renewal + length, End: history.EndReplaced, Clock: "mono"})
			length += length / 2
		}
		at = from + length + int64(rng.IntN(2000))*1e6
	}
	return &history.History{
		Meta:   history.Meta{Scenario: "bench", Protocol: "lease", Seed: seed, Start: 0, End: at, Holders: holders},
		Claims: claims,
	}
}
