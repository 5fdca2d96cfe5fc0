package main

import (
	"testing"

	"github.com/leasesim/leasesim/internal/runner"
)

// benchScenario runs and checks (porcupine included, as the suite does) the first seed
// of a built-in scenario per iteration.
func benchScenario(b *testing.B, name string) {
	l, err := loadScenario(name)
	if err != nil {
		b.Fatal(err)
	}
	var events int64
	b.ReportAllocs()
	for b.Loop() {
		run, err := runner.RunSeed(l.sc, l.sc.Seeds.From, runner.Options{})
		if err != nil {
			b.Fatal(err)
		}
		events = run.History.Meta.Events
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(max(events, 1)), "ns/event")
}

// BenchmarkCatalogKeys is etcd-keys-own-leases, the catalog's heaviest scenario.
func BenchmarkCatalogKeys(b *testing.B) { benchScenario(b, "etcd-keys-own-leases") }

// BenchmarkCatalogRaft is etcd-raft-leader-crash, the raft issuer.
func BenchmarkCatalogRaft(b *testing.B) { benchScenario(b, "etcd-raft-leader-crash") }
