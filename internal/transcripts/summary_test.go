package transcripts

import (
	"strings"
	"testing"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/history"
	"github.com/leasesim/leasesim/internal/runner"
	"github.com/leasesim/leasesim/result"
)

// TestSummaryFigures: the excerpt's metrics are printed as `leasesim run` and the suite
// table print them — a measured fraction with three decimals of a percent, counts with
// thousands separators — and recordedEvents reads the event count back.
func TestSummaryFigures(t *testing.T) {
	run := &runner.Run{
		Result: result.RunResult{Protocol: "etcd", Verdict: checker.Ok, TraceHash: "abc",
			Metrics: checker.Metrics{UnavailableFraction: 0.0154412, LeaderChanges: 1234, Events: 1234567, Messages: 4444,
				IssuerMsgsPerSec: 5.7, KeyLeases: 1000, KeysUnavailableFraction: 0.0071}},
		History: &history.History{},
		Check:   checker.Result{Checks: checker.Checks{P1: checker.PropertyCheck{Status: "checked", Method: "sweep", Items: 12345, Partitions: 1000}}},
	}
	var b strings.Builder
	writeSummary(&b, run)
	for _, want := range []string{
		"unavailable 1.544% (0s total, longest gap 0s from 0s), leader changes 1,234\n",
		"1,234,567 events, 4,444 messages, issuer 5.7 msg/s\n",
		"keys: 1,000 leases, unavailable 0.710%\n",
		"p1 checked by sweep over 12,345 items (1,000 porcupine partitions)\n",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("lacks %q:\n%s", want, b.String())
		}
	}
	if got := plural(1200, "protocol line"); got != "1,200 protocol lines" {
		t.Errorf("plural(1200) = %q, want 1,200 protocol lines", got)
	}
	if n := recordedEvents([]byte(b.String())); n != 1234567 {
		t.Errorf("recordedEvents = %d, want 1234567", n)
	}
}
