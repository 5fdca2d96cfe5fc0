package sweep

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/leasesim/leasesim/internal/exit"
	"github.com/leasesim/leasesim/reports"
	"github.com/leasesim/leasesim/result"
)

// Ended says on w how a sweep into dir ended when that is not with its outputs, and
// returns the exit code: exit.Interrupted when it was interrupted, exit.Undecided when a
// budget (forText, "" for none) ran no seed, else exit.OK after saying how many points
// were reused.
func (r *Result) Ended(w io.Writer, dir, forText string) int {
	budgeted := forText != ""
	if r.Interrupted && budgeted {
		fmt.Fprintf(w, "leasesim: interrupted: a --for sweep writes its points when the budget is spent, so none were written\n")
		return exit.Interrupted
	}
	if r.Interrupted {
		fmt.Fprintf(w, "leasesim: interrupted: %s of %s are in %s; the same command computes the rest\n",
			result.Thousands(len(r.Records)), reports.Count(len(r.Points), "point"), filepath.Join(dir, PointsName))
		return exit.Interrupted
	}
	if r.Reused > 0 {
		fmt.Fprintf(w, "leasesim: %s reused from %s, %s computed\n", reports.Count(r.Reused, "point"), filepath.Join(dir, PointsName), result.Thousands(r.Computed))
	}
	if budgeted && r.Ran.Count == 0 {
		fmt.Fprintf(w, "leasesim: no seed ran within --for %s: give a longer --for\n", forText)
		return exit.Undecided
	}
	return exit.OK
}

// BudgetLine says which seeds a sweep under the budget forText ran and what ended it:
// the budget, or all of maxSeeds seeds.
func (r *Result) BudgetLine(forText string, maxSeeds int) string {
	why := "the budget ran out"
	if !r.Spent {
		why = fmt.Sprintf("all of --seeds %d, before the budget ran out", maxSeeds)
	}
	return fmt.Sprintf("--for %s: every point ran seeds %s–%s (%s; %s)", forText, result.Thousands(int(r.Ran.From)),
		result.Thousands(int(r.Ran.From)+r.Ran.Count-1), reports.Count(r.Ran.Count, "seed"), why)
}

// PrintPoints prints the points of a sweep into dir: one JSON object each (asJSON), or
// the table and where the files are.
func PrintPoints(w io.Writer, dir string, swept []string, points []result.SweepPoint, asJSON bool) error {
	if asJSON {
		return result.WriteJSONLines(w, points)
	}
	reports.WriteSweepTable(w, swept, points)
	fmt.Fprintf(w, "\nresults in %s: %s\n", dir, Files)
	return nil
}
