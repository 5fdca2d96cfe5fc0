//go:build unix

package cli

import (
	"os"
	"runtime/debug"
	"strings"
	"syscall"
	"testing"

	"github.com/leasesim/leasesim/internal/gc"
	"github.com/leasesim/leasesim/internal/runner"
	"github.com/leasesim/leasesim/scenarios/catalog"
	"github.com/leasesim/leasesim/sim"
)

// BenchmarkPerEvent simulates the first seed of the reference workload, the raft
// issuer (etcd-raft-leader-crash) and the keys scenario (etcd-keys-own-leases) per
// iteration, the simulation alone as `leasesim bench` times it and with the garbage
// collector set as the simulation commands set it (GOGC 400 unless GOGC is set). Besides
// time and allocations per run it reports cpu-ns/event, the process's CPU time per
// event (the collector on other cores included): the figure BENCHMARKS.md divides by
// the reference's, read side by side from one run:
//
//	go test -run '^$' -bench PerEvent -count 5 ./cli/
func BenchmarkPerEvent(b *testing.B) {
	for _, name := range []string{"reference", "etcd-raft-leader-crash", "etcd-keys-own-leases"} {
		b.Run(name, func(b *testing.B) {
			l, err := loadScenario(name)
			if err != nil {
				b.Fatal(err)
			}
			defer simulationGC()()
			var events int64
			b.ReportAllocs()
			cpu0 := processCPU(b)
			for b.Loop() {
				cfg, err := l.Scenario.Config(l.Scenario.Seeds.From)
				if err != nil {
					b.Fatal(err)
				}
				h, err := sim.Run(cfg)
				if err != nil {
					b.Fatal(err)
				}
				events = h.Meta.Events
			}
			cpu := float64(processCPU(b) - cpu0)
			b.ReportMetric(cpu/float64(b.N)/1e6, "cpu-ms/run")
			b.ReportMetric(cpu/float64(b.N)/float64(max(events, 1)), "cpu-ns/event")
			b.ReportMetric(float64(events), "events/run")
		})
	}
}

// BenchmarkCatalog runs and checks (porcupine included) every seed of every built-in
// scenario, one at a time, as `leasesim suite --workers 1` does without writing its
// output files, with the garbage collector set as suite sets it. It reports cpu-s/op,
// the process's CPU time per pass over the catalog, and runs/op. One op takes seconds:
//
//	go test -run '^$' -bench 'Catalog$' -benchtime 2x ./cli/
func BenchmarkCatalog(b *testing.B) {
	defer simulationGC()()
	var runs int
	cpu0 := processCPU(b)
	for b.Loop() {
		runs = 0
		for _, file := range catalog.Names() {
			l, err := loadScenario(strings.TrimSuffix(file, ".yaml"))
			if err != nil {
				b.Fatal(err)
			}
			sc := l.Scenario
			for i := range sc.Seeds.Count {
				if _, err := runner.RunSeed(sc, sc.Seeds.From+uint64(i), runner.Options{}); err != nil {
					b.Fatal(err)
				}
				runs++
			}
		}
	}
	b.ReportMetric(float64(processCPU(b)-cpu0)/float64(b.N)/1e9, "cpu-s/op")
	b.ReportMetric(float64(runs), "runs/op")
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

// processCPU is the CPU time (user + system) the process has used so far, in ns.
func processCPU(b *testing.B) int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
