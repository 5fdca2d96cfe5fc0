//go:build unix

package etcd_test

import (
	"os"
	"runtime"
	"runtime/debug"
	"syscall"
	"testing"

	"github.com/leasesim/leasesim/internal/gc"
	"github.com/leasesim/leasesim/internal/modeltest"
	"github.com/leasesim/leasesim/scenarios"
	"github.com/leasesim/leasesim/sim"
	"github.com/leasesim/leasesim/stats"
)

// BenchmarkRaftLeaderCrash simulates the first seed of the catalog's
// etcd-raft-leader-crash (the raft issuer: three go.etcd.io/raft nodes, holders, a
// resource) per iteration, the simulation alone as `leasesim bench` times it. Besides
// time and allocations per run it reports the process's CPU time per event (cpu-ns/event,
// the garbage collector on other cores included), the figure BENCHMARKS.md compares
// with the reference workload's; on a loaded machine read that one, not ns/op. It also
// reports allocs/event: nearly all of them are go.etcd.io/raft's own (BENCHMARKS.md, "The
// raft issuer, fifth pass"), a figure the load does not move. The garbage collector is
// set as the simulation commands set it (package gc: GOGC 400 unless GOGC is set).
func BenchmarkRaftLeaderCrash(b *testing.B) {
	defer simulationGC()()
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

// BenchmarkRaftFloor shows how much of the raft issuer's cost per event is raft's own.
// Each iteration does three things, one after the other, so that a load on the machine
// falls on all three alike: it simulates the first seed of the reference workload
// (ref), the first seed of etcd-raft-leader-crash (raft), and it replays that raft run's
// calls into go.etcd.io/raft (every Tick, Step with its message, Campaign, Propose,
// ReadIndex, HasReady, Ready with the writes to MemoryStorage it asks for, Advance and
// BasicStatus, in the run's order) against fresh RawNodes with no simulator (floor;
// TestRaftReplayIsFaithful checks that the replay makes the run's Readies). The garbage
// collector is set as the simulation commands set it (package gc). It reports the median
// CPU time per event of each (the floor divided by the raft run's events), the raft run
// and the floor as multiples of the reference, what the rest of the raft run (the event
// loop, the network, the holders, the issuer and its driver) costs per event as a
// multiple of the reference, and the allocations per event of the raft run and of the
// floor:
//
//	go test -run '^$' -bench RaftFloor -count 5 ./model/etcd/
func BenchmarkRaftFloor(b *testing.B) {
	defer simulationGC()()
	ref := modeltest.Catalog(b, "reference")
	rc := modeltest.Catalog(b, "etcd-raft-leader-crash")
	rec, events := recordRaftRun(b)
	var refEvents int64
	var refNs, raftNs, floorNs []float64
	timed := func(f func() error) float64 {
		cpu0 := processCPU(b)
		if err := f(); err != nil {
			b.Fatal(err)
		}
		return float64(processCPU(b) - cpu0)
	}
	simulate := func(sc *scenarios.Scenario, events *int64) func() error {
		cfg, err := sc.Config(sc.Seeds.From)
		if err != nil {
			b.Fatal(err)
		}
		return func() error {
			run, err := sim.Run(cfg)
			if err == nil {
				*events = run.Meta.Events
			}
			return err
		}
	}
	var raftEvents int64
	var raftAllocs, floorAllocs uint64
	mallocs := func() uint64 {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.Mallocs
	}
	for b.Loop() {
		refNs = append(refNs, timed(simulate(ref, &refEvents))/float64(max(refEvents, 1)))
		m0 := mallocs()
		raftNs = append(raftNs, timed(simulate(rc, &raftEvents))/float64(max(raftEvents, 1)))
		m1 := mallocs()
		floorNs = append(floorNs, timed(func() error { return rec.Replay(false) })/float64(events))
		raftAllocs, floorAllocs = raftAllocs+m1-m0, floorAllocs+mallocs()-m1
	}
	if raftEvents != events {
		b.Fatalf("the raft run has %d events, the recorded one %d", raftEvents, events)
	}
	r, f, c := stats.Median(refNs), stats.Median(raftNs), stats.Median(floorNs)
	b.ReportMetric(r, "ref-cpu-ns/event")
	b.ReportMetric(f, "raft-cpu-ns/event")
	b.ReportMetric(c, "floor-cpu-ns/event")
	b.ReportMetric(float64(raftAllocs)/float64(b.N)/float64(events), "raft-allocs/event")
	b.ReportMetric(float64(floorAllocs)/float64(b.N)/float64(events), "floor-allocs/event")
	b.ReportMetric(f/r, "raft/ref")
	b.ReportMetric(c/r, "floor/ref")
	b.ReportMetric((f-c)/r, "rest/ref")
}

// simulationGC sets the garbage collector as the simulation commands do (package gc)
// and returns what restores the previous settings.
func simulationGC() (restore func()) {
	percent := debug.SetGCPercent(-1)
	limit := debug.SetMemoryLimit(-1)
	debug.SetGCPercent(percent)
	gc.ForSimulation(os.Getenv)
	return func() {
		debug.SetGCPercent(percent)
		debug.SetMemoryLimit(limit)
	}
}
