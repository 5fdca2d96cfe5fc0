//go:build unix

package etcd_test

import (
	"runtime"
	"syscall"
	"testing"

	"github.com/leasesim/leasesim/internal/modeltest"
	"github.com/leasesim/leasesim/sim"
)

// BenchmarkRaftLeaderCrash simulates the first seed of the catalog's
// etcd-raft-leader-crash (the raft issuer: three go.etcd.io/raft nodes, holders, a
// resource) per iteration, the simulation alone as `leasesim bench` times it. Besides
// time and allocations per run it reports the process's CPU time per event (cpu-ns/event,
// the garbage collector on other cores included), the figure BENCHMARKS.md compares
// with the reference workload's; on a loaded machine read that one, not ns/op. It also
// reports allocs/event: nearly all of them are go.etcd.io/raft's own (BENCHMARKS.md, "The
// raft issuer, fifth pass"), a figure the load does not move.
func BenchmarkRaftLeaderCrash(b *testing.B) {
	sc := modeltest.Catalog(b, "etcd-raft-leader-crash")
	var events int64
	b.ReportAllocs()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	mallocs0 := ms.Mallocs
	cpu0 := processCPU(b)
	for b.Loop() {
		cfg, err := sc.Config(sc.Seeds.From)
		if err != nil {
			b.Fatal(err)
		}
		run, err := sim.Run(cfg)
		if err != nil {
			b.Fatal(err)
		}
		events = run.Meta.Events
	}
	cpu := processCPU(b) - cpu0
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.Mallocs-mallocs0)/float64(b.N)/float64(max(events, 1)), "allocs/event")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(max(events, 1)), "ns/event")
	b.ReportMetric(float64(cpu)/float64(b.N)/float64(max(events, 1)), "cpu-ns/event")
}

// processCPU is the CPU time (user + system) the process has used so far, in ns.
func processCPU(b *testing.B) int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
