package explorerun

import (
	"encoding/json"
	"fmt"
	"path/filepath"

	"github.com/leasesim/leasesim/explore"
	"github.com/leasesim/leasesim/internal/rundir"
	"github.com/leasesim/leasesim/internal/runner"
	"github.com/leasesim/leasesim/reports"
	"github.com/leasesim/leasesim/result"
	"github.com/leasesim/leasesim/scenarios"
)

// WriteFound describes the minimal scenario (found from the scenario file from) and
// writes it (minimal.yaml), its run (replayed, which checks it is deterministic: run/)
// and summary.json into out, and completes sum with where they are. An error of the
// replay is explore.Replay's (a *runner.InternalError when the run panicked).
func WriteFound(out, from string, minimal *scenarios.Scenario, found *runner.Run, sum *explore.Summary) error {
	minimal.Description = fmt.Sprintf("Minimal counterexample found by leasesim explore from %s (%s, %s before shrinking).",
		from, reports.Count(sum.FaultsBefore, "fault"), sum.DurationBefore)
	if sum.Swarm != "" {
		minimal.Description += " Swarm mix of the schedule found: " + sum.Swarm + "."
	}
	path := filepath.Join(out, "minimal.yaml")
	if err := rundir.WriteFile(path, minimal.Marshal()); err != nil {
		return err
	}
	rerun, transcript, err := explore.Replay(minimal, found)
	if err != nil {
		return err
	}
	if err := rundir.Write(filepath.Join(out, "run"), rerun.History, rerun.Result, rerun.Check, rundir.Options{Transcript: transcript}); err != nil {
		return err
	}
	sum.Minimal = path
	sum.Reproduce = result.Command("run", path)
	sb, _ := json.MarshalIndent(sum, "", "  ")
	return rundir.WriteFile(filepath.Join(out, "summary.json"), append(sb, '\n'))
}
