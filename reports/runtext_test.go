package reports

import (
	"strings"
	"testing"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/result"
)

// TestWriteRunText: the run's name with its mutant, the verdict in capitals, each
// finding with its window, the metrics, and a line per property with how it was checked
// (liveness only when checked). A measured fraction has the suite table's three decimals
// (result.Measured), counts have thousands separators and agree in number.
func TestWriteRunText(t *testing.T) {
	r := result.RunResult{Scenario: "lease-cut", Mutant: "no-guard", Protocol: "lease", Seed: 3, TraceHash: "abc",
		Verdict: checker.Violated, Findings: []checker.Finding{{Kind: checker.P1, Holders: []string{"A", "B"}, From: 1_500_000, To: 2_000_000_000, Detail: "both lead"}},
		Metrics: checker.Metrics{UnavailableFraction: 0.258866, MaxGapNs: 3e9, LeaderChanges: 1234, Events: 4444, Messages: 1, IssuerMsgsPerSec: 5.75}}
	checks := checker.Checks{P1: checker.PropertyCheck{Status: "violated", Method: "sweep", Items: 4321, Partitions: 1},
		P3: checker.PropertyCheck{Status: "unknown", Method: "porcupine", Note: "timed out"}}
	var b strings.Builder
	WriteRunText(&b, r, checks)
	for _, want := range []string{"lease-cut (mutant no-guard)  protocol lease  seed 3  trace abc\n", "verdict: VIOLATED\n",
		"  P1 A,B [1.5ms, 2s) both lead\n", "unavailable 25.887% (0s total, longest gap 3s), leader changes 1,234, 4,444 events, 1 message, issuer 5.8 msg/s\n",
		"  p1 violated by sweep over 4,321 items (1 porcupine partition)\n", "  p3 unknown by porcupine over 0 items: timed out\n"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("lacks %q:\n%s", want, b.String())
		}
	}
	if strings.Contains(b.String(), "liveness") {
		t.Errorf("liveness shown though not checked:\n%s", b.String())
	}
}
