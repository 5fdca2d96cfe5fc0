package checker

import (
	"math/rand/v2"
	"testing"

	"github.com/leasesim/leasesim/history"
)

// benchHistory makes n claims on the leader lease by holders A–E: consecutive terms of
// 1–10 s with gaps of 0–2 s, a same-holder renewal under a new epoch now and then, and
// one term in overlapEvery starting before the previous one ended (0: never). The claims
// are shuffled, as producers may write them in any order.
func benchHistory(n, overlapEvery int, seed uint64) *history.History {
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
		if overlapEvery > 0 && rng.IntN(overlapEvery) == 0 {
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
	rng.Shuffle(len(claims), func(i, j int) { claims[i], claims[j] = claims[j], claims[i] })
	return &history.History{
		Meta:   history.Meta{Start: 0, End: at, Holders: holders},
		Claims: claims,
	}
}

func BenchmarkSweep1M(b *testing.B) {
	h := benchHistory(1_000_000, 1000, 1)
	var windows int
	b.ReportAllocs()
	for b.Loop() {
		ov, _ := sweepP1(h)
		windows = len(ov)
	}
	b.ReportMetric(float64(windows), "overlaps")
}

func benchPorcupineP1(b *testing.B, n int) {
	h := benchHistory(n, 1000, 2)
	ov, _ := sweepP1(h)
	var x p1Cross
	b.ReportAllocs()
	for b.Loop() {
		x = crossCheckP1(h, ov, 0, p1PartitionOps)
	}
	if len(x.findings) > 0 || x.status != Checked {
		b.Fatalf("sweep and porcupine disagree: %+v", x.findings)
	}
	b.ReportMetric(float64(x.partitions), "partitions")
	b.ReportMetric(float64(x.illegal), "illegal")
}

func BenchmarkPorcupineP1_10k(b *testing.B)  { benchPorcupineP1(b, 10_000) }
func BenchmarkPorcupineP1_100k(b *testing.B) { benchPorcupineP1(b, 100_000) }
func BenchmarkPorcupineP1_1M(b *testing.B)   { benchPorcupineP1(b, 1_000_000) }

// BenchmarkCheck100k is the whole Check (sweep, porcupine, P2, P4, metrics).
func BenchmarkCheck100k(b *testing.B) {
	h := benchHistory(100_000, 1000, 3)
	b.ReportAllocs()
	for b.Loop() {
		Check(h, Options{})
	}
}
