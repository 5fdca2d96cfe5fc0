package reports

import (
	"strings"

	"github.com/leasesim/leasesim/result"
)

// Verdict is a scenario's verdict in a word, as the suite table and the HTML report
// show it: met, NOT MET, undecided (result.Undecided: more seeds or checks would
// decide it) or ERROR (it could not run).
func Verdict(r result.ScenarioResult) string {
	switch {
	case r.Error != "":
		return "ERROR"
	case r.Met:
		return "met"
	case result.Undecided(r):
		return "undecided"
	}
	return "NOT MET"
}

// RateLines are a scenario's violation rates as sentences, one per property in the
// order of result.Properties: "0 of 1,000 seeds: p1 ≤ 0.30% per run at 95%, ≤ 0.36
// per simulated hour".
func RateLines(r result.ScenarioResult) []string {
	var out []string
	for _, p := range result.Properties {
		if rt, ok := r.Rates[p]; ok {
			out = append(out, rt.Text(p))
		}
	}
	return out
}

// RateCell is a scenario's violation rates in a table cell: the interval of each
// property some seed violated ("p1 0.69–1.9%"), and the upper bound shared by the
// others ("≤ 0.30% each" when none was violated, "rest ≤ 0.30%" besides), each bound
// one-sided at the rates' confidence, which the cell names when it is not 95%.
func RateCell(r result.ScenarioResult) string {
	var parts []string
	rest, conf, any := 0.0, 0.0, false
	for _, p := range result.Properties {
		rt, ok := r.Rates[p]
		if !ok {
			continue
		}
		if rt.Confidence != result.DefaultConfidence {
			conf = rt.Confidence
		}
		if rt.ViolatingSeeds > 0 {
			parts = append(parts, p+" "+result.PercentDown(rt.Lower)+"–"+result.PercentUp(rt.Upper))
			continue
		}
		rest, any = max(rest, rt.Upper), true
	}
	switch {
	case any && len(parts) == 0:
		parts = append(parts, "≤ "+result.PercentUp(rest)+" each")
	case any:
		parts = append(parts, "rest ≤ "+result.PercentUp(rest))
	case len(parts) == 0:
		return "-"
	}
	s := strings.Join(parts, ", ")
	if conf != 0 {
		s += " (" + result.Percent(conf) + ")"
	}
	return s
}
