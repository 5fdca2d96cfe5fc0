package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"testing"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/history"
	"github.com/leasesim/leasesim/internal/benchdata"
	"github.com/leasesim/leasesim/internal/runner"
	"github.com/leasesim/leasesim/sim"
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
		run, err := runner.RunSeed(l.Scenario, l.Scenario.Seeds.From, runner.Options{})
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

// benchSimulation runs the first seed of a built-in scenario per iteration, the
// simulation alone, as `leasesim bench` times it (allocations are per run).
func benchSimulation(b *testing.B, name string) {
	l, err := loadScenario(name)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		cfg, err := l.Scenario.Config(l.Scenario.Seeds.From)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := sim.Run(cfg); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSimulateKeys is BenchmarkCatalogKeys without the check.
func BenchmarkSimulateKeys(b *testing.B) { benchSimulation(b, "etcd-keys-own-leases") }

// BenchmarkSimulateRaft is BenchmarkCatalogRaft without the check.
func BenchmarkSimulateRaft(b *testing.B) { benchSimulation(b, "etcd-raft-leader-crash") }

// bigHistory is the 1M-claim history of scripts/bighistory, as the bytes of its file.
func bigHistory(b *testing.B) []byte {
	if bigHistoryData == nil {
		var buf bytes.Buffer
		if err := benchdata.Claims(1_000_000, 1000, 1).Write(&buf); err != nil {
			b.Fatal(err)
		}
		bigHistoryData = buf.Bytes()
	}
	return bigHistoryData
}

var bigHistoryData []byte

// BenchmarkCheckFile1M is what `leasesim check` does with the 140 MB history of
// scripts/bighistory: read (every record checked), then check every property, porcupine
// included. Compare with BenchmarkBareDecodeFile1M in the same run.
func BenchmarkCheckFile1M(b *testing.B) {
	data := bigHistory(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		h, err := history.Read(bytes.NewReader(data), "bench")
		if err != nil {
			b.Fatal(err)
		}
		if res := runner.Check(h, runner.Options{}); res.Verdict != checker.Violated {
			b.Fatalf("verdict %s, want violated", res.Verdict)
		}
	}
}

// BenchmarkBareDecodeFile1M is the floor of BenchmarkCheckFile1M: one encoding/json
// decode of each line into its record's struct, with no checks.
func BenchmarkBareDecodeFile1M(b *testing.B) {
	data := bigHistory(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	// Not b.Loop: with this loop body inside it, Go 1.26's compiler fails (an internal
	// compiler error in sync/atomic).
	for i := 0; i < b.N; i++ {
		h := &history.History{}
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(make([]byte, 0, 64*1024), 16*1024*1024)
		for sc.Scan() {
			line := sc.Bytes()
			var err error
			switch {
			case bytes.HasPrefix(line, []byte(`{"type":"claim"`)):
				var c history.Claim
				err = json.Unmarshal(line, &c)
				h.Claims = append(h.Claims, c)
			default:
				err = json.Unmarshal(line, &h.Meta)
			}
			if err != nil {
				b.Fatal(err)
			}
		}
	}
}
