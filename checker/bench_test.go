package checker

import (
	"math/rand/v2"
	"testing"

	"github.com/leasesim/leasesim/history"
	"github.com/leasesim/leasesim/internal/benchdata"
)

// benchHistory is benchdata.Claims with its claims shuffled, as producers may write them
// in any order.
func benchHistory(n, overlapEvery int, seed uint64) *history.History {
	h := benchdata.Claims(n, overlapEvery, seed)
	rng := rand.New(rand.NewPCG(seed, 0x5b0f))
	rng.Shuffle(len(h.Claims), func(i, j int) { h.Claims[i], h.Claims[j] = h.Claims[j], h.Claims[i] })
	return h
}

func BenchmarkSweep1M(b *testing.B) {
	h := benchHistory(1_000_000, 1000, 1)
	var windows int
	b.ReportAllocs()
	defer reportCPU(b)()
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
	defer reportCPU(b)()
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
	defer reportCPU(b)()
	for b.Loop() {
		Check(h, Options{})
	}
}

// reportCPU starts counting the process's CPU time; the function it returns, deferred,
// reports it per op as cpu-ms/op (where the platform reports CPU time): on a loaded
// machine wall time measures the load.
func reportCPU(b *testing.B) func() {
	cpu0, ok := processCPU()
	return func() {
		if cpu1, _ := processCPU(); ok && b.N > 0 {
			b.ReportMetric(float64(cpu1-cpu0)/float64(b.N)/1e6, "cpu-ms/op")
		}
	}
}
