package explorerun

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/leasesim/leasesim/explore"
	"github.com/leasesim/leasesim/reports"
	"github.com/leasesim/leasesim/result"
)

// Print prints what explore found: one JSON object (asJSON), or a few lines: the
// finding and its shrinking, or which schedules ran without one.
func Print(w io.Writer, sum explore.Summary, asJSON bool) {
	switch {
	case asJSON:
		sb, _ := json.MarshalIndent(sum, "", "  ")
		fmt.Fprintf(w, "%s\n", compactJSON(sb))
	case sum.Found:
		within := ""
		if sum.For != "" {
			within = " (within --for " + sum.For + ")"
		}
		fmt.Fprintf(w, "%s: found %s after %s%s: %s\n", sum.Scenario, strings.Join(sum.Kinds, ", "), reports.Count(sum.Explored, "schedule"), within, sum.FirstFindingMsg)
		if sum.Swarm != "" {
			fmt.Fprintf(w, "swarm mix of that schedule: %s\n", sum.Swarm)
		}
		fmt.Fprintf(w, "shrunk in %s: faults %d -> %d, duration %s -> %s\n", reports.Count(sum.ShrinkRuns, "run"), sum.FaultsBefore, sum.FaultsAfter, sum.DurationBefore, sum.DurationAfter)
		fmt.Fprintf(w, "minimal scenario: %s\nreproduce: %s\n", sum.Minimal, sum.Reproduce)
	case sum.For != "" && sum.Explored == 0:
		fmt.Fprintf(w, "%s: no schedule ran within --for %s (the budget ran out before the first)\n", sum.Scenario, sum.For)
	case sum.For != "":
		why := "the budget ran out"
		if !sum.BudgetSpent {
			why = "all of --budget, before the budget ran out"
		}
		fmt.Fprintf(w, "%s: no finding in schedules 1–%s of search seed %d, which ran within --for %s (%s); --budget %d --seed %d tries the same ones\n",
			sum.Scenario, result.Thousands(sum.Explored), sum.Seed, sum.For, why, sum.Explored, sum.Seed)
	default:
		fmt.Fprintf(w, "%s: no finding in %s\n", sum.Scenario, reports.Count(sum.Explored, "schedule"))
	}
}

// compactJSON is b without insignificant space (b itself if it is not JSON).
func compactJSON(b []byte) []byte {
	var buf bytes.Buffer
	if err := json.Compact(&buf, b); err != nil {
		return b
	}
	return buf.Bytes()
}
