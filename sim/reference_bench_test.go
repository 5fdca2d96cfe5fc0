package sim_test

import (
	"testing"
	"time"

	"github.com/leasesim/leasesim/checker"
	_ "github.com/leasesim/leasesim/model/all"
	"github.com/leasesim/leasesim/scenarios"
	"github.com/leasesim/leasesim/scenarios/catalog"
	"github.com/leasesim/leasesim/sim"
)

// referenceParsed is the reference scenario, parsed once: the benchmarks time the
// simulation, not the YAML parser.
var referenceParsed *scenarios.Scenario

func referenceConfig(b *testing.B, seed uint64, holders int, d time.Duration) sim.Config {
	if referenceParsed == nil {
		// The reference workload of docs/semantics.md, the built-in scenario "reference": the lease
		// protocol, one issuer and five holders, renew 1s, lease 10s, 1% loss, lognormal
		// delays, one simulated hour.
		data, err := catalog.Read("reference.yaml")
		if err != nil {
			b.Fatal(err)
		}
		sc, err := scenarios.Parse(data, "builtin:reference.yaml")
		if err != nil {
			b.Fatal(err)
		}
		referenceParsed = sc
	}
	sc := *referenceParsed
	sc.Holders = scenarios.HolderNames(holders)
	sc.Duration = d
	cfg, err := sc.Config(seed)
	if err != nil {
		b.Fatal(err)
	}
	return cfg
}

// BenchmarkReference runs the reference workload for one simulated hour and reports
// ms per simulated hour (wall, and cpu-ms/simhour: the process's CPU time) and ns per
// event; compare BenchmarkSynctestLease (the same
// protocol on goroutines) and BenchmarkBareLoop (the event queue alone).
func BenchmarkReference(b *testing.B) {
	var events, msgs int64
	b.ReportAllocs()
	cpu0, hasCPU := processCPU()
	for i := 0; i < b.N; i++ {
		h, err := sim.Run(referenceConfig(b, uint64(i+1), 5, time.Hour))
		if err != nil {
			b.Fatal(err)
		}
		events += h.Meta.Events
		msgs += h.Meta.Messages
	}
	if cpu1, _ := processCPU(); hasCPU {
		b.ReportMetric(float64(cpu1-cpu0)/float64(b.N)/1e6, "cpu-ms/simhour")
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e6, "ms/simhour")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(events), "ns/event")
	b.ReportMetric(float64(msgs)/float64(b.N), "msgs/run")
}

// BenchmarkReferenceChecked is the reference workload followed by the checker's sweep and
// availability metrics (porcupine off): what a suite pays per seed.
func BenchmarkReferenceChecked(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		h, err := sim.Run(referenceConfig(b, uint64(i+1), 5, time.Hour))
		if err != nil {
			b.Fatal(err)
		}
		if r := checker.Check(h, checker.Options{SkipPorcupine: true}); r.Verdict != checker.Ok {
			b.Fatalf("the reference workload violated a property: %+v", r.Findings)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e6, "ms/simhour")
}

// BenchmarkScaleHours and BenchmarkScaleHolders show how the cost grows with simulated
// time and with the number of holders, in ms/simhour (wall) and cpu-ms/simhour (the
// process's CPU time, which load moves less).
func BenchmarkScaleHours(b *testing.B) {
	for _, hours := range []int{1, 10, 100} {
		b.Run(time.Duration(hours*int(time.Hour)).String(), func(b *testing.B) {
			b.ReportAllocs()
			cpu0, hasCPU := processCPU()
			for i := 0; i < b.N; i++ {
				if _, err := sim.Run(referenceConfig(b, uint64(i+1), 5, time.Duration(hours)*time.Hour)); err != nil {
					b.Fatal(err)
				}
			}
			if cpu1, _ := processCPU(); hasCPU {
				b.ReportMetric(float64(cpu1-cpu0)/float64(b.N)/1e6/float64(hours), "cpu-ms/simhour")
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e6/float64(hours), "ms/simhour")
		})
	}
}

func BenchmarkScaleHolders(b *testing.B) {
	for _, n := range []int{5, 50, 500} {
		b.Run(time.Duration(n).String()[:len(time.Duration(n).String())-2]+"holders", func(b *testing.B) {
			b.ReportAllocs()
			cpu0, hasCPU := processCPU()
			for i := 0; i < b.N; i++ {
				if _, err := sim.Run(referenceConfig(b, uint64(i+1), n, 10*time.Minute)); err != nil {
					b.Fatal(err)
				}
			}
			if cpu1, _ := processCPU(); hasCPU {
				b.ReportMetric(float64(cpu1-cpu0)/float64(b.N)/1e6*6, "cpu-ms/simhour")
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e6*6, "ms/simhour")
		})
	}
}
