package tune

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// TestWriteTextFigures: tune's text prints counts with thousands separators and the
// measured unavailable fractions with three decimals, as the suite table does (it
// printed "0/29956" and "25.8866%" before).
func TestWriteTextFigures(t *testing.T) {
	p := &Point{Lease: "1s", Renew: "250ms", Guard: "300ms", GuardOverBound: 1.5, Seeds: 29956, Violations: 0,
		UnavailMean: 0.258866, UnavailP99: 0.3, MaxGap: "2s", IssuerMsgsPerS: 12, Safe: true, lease: time.Second, guard: 300 * time.Millisecond}
	res := &Result{Scenario: "s", MaxDriftPPM: 200, Points: []*Point{p}, Recommended: p}
	var b bytes.Buffer
	res.WriteText(&b, Files{})
	for _, want := range []string{
		"0/29,956         25.887%       30.000%",
		"measured: mean unavailability 25.887%, p99 30.000%, longest gap 2s, issuer 12.0 msg/s over 29,956 seeds",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("the text lacks %q:\n%s", want, b.String())
		}
	}
}
