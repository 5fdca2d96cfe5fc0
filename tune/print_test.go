package tune

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// TestWriteTextFigures: tune's text prints counts with thousands separators and the
// measured unavailable fractions with three decimals, as the suite table does (it
// printed "0/29956" and "25.8866%" before).
func TestWriteTextFigures(t *testing.T) {
	p := &Point{Lease: "1s", Renew: "250ms", Guard: "300ms", GuardOverBound: 1.5, Seeds: 29956, Violations: 0,
		UnavailMean: 0.258866, UnavailP99: 0.3, MaxGapNs: 2_000_400_000, IssuerMsgsPerS: 12, Safe: true, lease: time.Second, guard: 300 * time.Millisecond}
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

// TestWriteTextRateCounts: under a rate target the text's counts have thousands
// separators too: the first batch the candidates are ranked on, and the candidates not
// needed or not eligible.
func TestWriteTextRateCounts(t *testing.T) {
	target := &RateTarget{MaxRate: 1e-4, Confidence: 0.95, MaxSeeds: 100000}
	var points []*Point
	for i := range 2400 {
		decision := NotNeeded
		if i >= 1200 {
			decision = Ineligible
		}
		points = append(points, &Point{Lease: "1s", Renew: "250ms", Guard: "1ms", Rate: &RateVerdict{Decision: decision}})
	}
	res := &Result{Scenario: "s", Rate: target, FirstSeeds: 1000, Points: points}
	var b bytes.Buffer
	res.writeRates(&b)
	for _, want := range []string{
		"ranked on their first 1,000 seeds (the same seeds for each)\n",
		"1,200 more eligible candidates, ranked after",
		"1,200 candidates are not eligible",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("the text lacks %q:\n%s", want, b.String())
		}
	}
}

// TestWriteJSONMaxGap: a candidate's longest gap is an integer of ns in --json
// (max_gap_ns, as the run result's max_gap_ns), exact where the text rounds it to the
// millisecond.
func TestWriteJSONMaxGap(t *testing.T) {
	p := &Point{Lease: "1s", Renew: "250ms", Guard: "300ms", Seeds: 20, MaxGapNs: 2_000_400_001, Safe: true}
	res := &Result{Scenario: "s", MaxDriftPPM: 200, Points: []*Point{p}, Recommended: p}
	var b bytes.Buffer
	if err := res.WriteJSON(&b, Files{}); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Points      []map[string]any           `json:"points"`
		Recommended map[string]json.RawMessage `json:"recommended"`
	}
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Points) != 1 {
		t.Fatalf("points %v", got.Points)
	}
	if _, old := got.Points[0]["max_gap"]; old {
		t.Errorf("a point still has max_gap: %s", b.String())
	}
	if raw := string(got.Recommended["max_gap_ns"]); raw != "2000400001" {
		t.Errorf("recommended max_gap_ns = %s, want the integer 2000400001: %s", raw, b.String())
	}
	var text bytes.Buffer
	res.WriteText(&text, Files{})
	if !strings.Contains(text.String(), "longest gap 2s,") {
		t.Errorf("the text does not round the gap to the millisecond:\n%s", text.String())
	}
}
