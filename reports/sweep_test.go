package reports

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"testing"

	"github.com/leasesim/leasesim/result"
)

func TestWriteSweepCSV(t *testing.T) {
	p := result.NewSweepPoint("s", map[string]string{"lease": "2s", "guard": "0"},
		[]result.SeedSample{{Unavailable: 0.25, MaxGap: 1500 * 1e6, Violated: []string{"p2"}}, {Unavailable: 0.75, MaxGap: 3 * sec}})
	bad := point("1s", "5s", 0)
	bad.Error = "guard must be below lease"
	var b bytes.Buffer
	if err := WriteSweepCSV(&b, []string{"lease", "guard"}, []result.SweepPoint{p, bad}); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 {
		t.Fatalf("%d rows, want a header and 2", len(rows))
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	get := func(row int, name string) string {
		i, ok := col[name]
		if !ok {
			t.Fatalf("no column %q in %v", name, rows[0])
		}
		return rows[row][i]
	}
	for name, want := range map[string]string{"lease": "2s", "guard": "0", "seeds": "2", "violating_seeds": "1", "p1": "0", "p2": "1",
		"unavailable_mean": "0.5",
		// 1 of 2 seeds: [1−√0.95, √0.95]; 0 of 2: at most 1−√0.05, each one-sided at 95%.
		// Exact, as points.jsonl: six significant digits printed √0.95 as 0.974679, an
		// upper bound below the one computed.
		"violation_rate": "0.5", "violation_lower": "0.025320565519103628", "violation_upper": "0.9746794344808963",
		"p2_rate": "0.5", "p2_upper": "0.9746794344808963", "p1_rate": "0", "p1_lower": "0", "p1_upper": "0.776393202250021", "rate_confidence": "0.95", "unavailable_p50": "0.25", "unavailable_max": "0.75", "max_gap_p50_s": "1.5", "max_gap_max_s": "3", "error": ""} {
		if got := get(1, name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	for name, want := range map[string]float64{"violation_lower": p.Rates[result.AnyProperty].Lower, "violation_upper": p.Rates[result.AnyProperty].Upper, "p1_upper": p.Rates["p1"].Upper} {
		if got, err := strconv.ParseFloat(get(1, name), 64); err != nil || got != want {
			t.Errorf("%s = %q, want exactly %v, the point's", name, get(1, name), want)
		}
	}
	if get(2, "lease") != "1s" || get(2, "error") != "guard must be below lease" || get(2, "violation_upper") != "" {
		t.Errorf("invalid point row: %v", rows[2])
	}
}

func point(lease, guard string, seeds int) result.SweepPoint {
	set := map[string]string{"lease": lease, "guard": guard}
	return result.SweepPoint{Scenario: "s", Set: set, Key: result.SweepKey(set), Seeds: seeds}
}
