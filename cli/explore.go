package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/leasesim/leasesim/explore"
	"github.com/leasesim/leasesim/internal/runner"
	"github.com/leasesim/leasesim/scenarios"
)

func init() {
	subcommands = append(subcommands, newExploreCmd)
}

func newExploreCmd() *cobra.Command {
	var (
		opt    explore.Options
		out    string
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "explore SCENARIO",
		Short: "Random fault search; shrinks the first failure to a minimal scenario",
		Long: `explore generates fault schedules from the scenario's bounds (the kinds, lengths, step and
drift bounds of its random entries, its default clock ranges, its duration) with rapid,
runs each, and stops at the first run with any finding. Every schedule ends with a
fault-free tail (the scenario's tail:, or 60s after its faults), in which the liveness
check (recovers_within, by default half the tail) finds a protocol that gets stuck. rapid then shrinks the schedule —
removing faults, shortening them, moving them earlier, pulling clock errors to zero,
shortening the run — to a minimal one that still fails, which is written as an ordinary
scenario file with expect: that 'leasesim run' reproduces, plus its history, timeline and
porcupine visualization.

Exit 1 when a failure was found, 0 when the budget ran out without one, 2 for bad input
(an unwritable --out or one another leasesim process is writing is found before the
search), 4 when a run panicked (an internal error).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			l, err := loadScenario(args[0])
			if err != nil {
				return err
			}
			if opt.Budget < 1 {
				return badInput("--budget %d: expected at least 1", opt.Budget)
			}
			if out == "" {
				out = filepath.Join("out", "explore-"+l.sc.Name)
			}
			d, err := prepareOut("--out", out)
			if err != nil {
				return err
			}
			defer d.Release()
			prog := newProgress("explore "+l.sc.Name, opt.Budget)
			opt.OnSchedule = func() { prog.step(1) }
			opt.OnFound = func() { prog.found(1); prog.setNote("shrinking") }
			sum, minimal, found, err := explore.Search(l.sc, opt)
			prog.finish()
			if err != nil {
				return runFailed(err)
			}
			if !sum.Found {
				printExplore(cmd.OutOrStdout(), sum, asJSON)
				return nil
			}
			if err := writeExplore(out, l.sc.File, minimal, found, &sum); err != nil {
				return err
			}
			printExplore(cmd.OutOrStdout(), sum, asJSON)
			return withCode(exitViolated)
		},
	}
	cmd.Flags().IntVar(&opt.Budget, "budget", 200, "how many schedules to try before giving up")
	cmd.Flags().StringVar(&out, "out", "", "directory for the minimal scenario and its run (default out/explore-NAME)")
	cmd.Flags().Uint64Var(&opt.Seed, "seed", 1, "seed of the search itself (the same seed explores the same schedules)")
	cmd.Flags().DurationVar(&opt.ShrinkTime, "shrink-time", time.Minute, "wall-clock bound on shrinking")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the summary as one JSON object")
	cmd.Flags().BoolVar(&opt.Swarm, "swarm", false, "swarm faults: each schedule first draws which fault kinds are on and their weights")
	return cmd
}

// writeExplore describes the minimal scenario (found from the scenario file from) and
// writes it, its run (replayed, which checks it is deterministic) and summary.json into
// out, and completes sum with where they are.
func writeExplore(out, from string, minimal *scenarios.Scenario, found *runner.Run, sum *explore.Summary) error {
	minimal.Description = fmt.Sprintf("Minimal counterexample found by leasesim explore from %s (%s, %s before shrinking).",
		from, count(sum.FaultsBefore, "fault"), sum.DurationBefore)
	if sum.Swarm != "" {
		minimal.Description += " Swarm mix of the schedule found: " + sum.Swarm + "."
	}
	path := filepath.Join(out, "minimal.yaml")
	if err := writeFileAtomic(path, minimal.Marshal()); err != nil {
		return err
	}
	rerun, transcript, err := explore.Replay(minimal, found)
	if err != nil {
		return runFailed(err)
	}
	if err := writeRunDir(filepath.Join(out, "run"), rerun.History, rerun.Result, rerun.Check, transcript); err != nil {
		return err
	}
	sum.Minimal = path
	sum.Reproduce = "leasesim run " + path
	sb, _ := json.MarshalIndent(sum, "", "  ")
	return writeFileAtomic(filepath.Join(out, "summary.json"), append(sb, '\n'))
}

// printExplore prints what explore found: one JSON object, or a few lines.
func printExplore(w io.Writer, sum explore.Summary, asJSON bool) {
	switch {
	case asJSON:
		sb, _ := json.MarshalIndent(sum, "", "  ")
		fmt.Fprintf(w, "%s\n", mustCompactJSON(sb))
	case sum.Found:
		fmt.Fprintf(w, "%s: found %s after %s: %s\n", sum.Scenario, strings.Join(sum.Kinds, ", "), count(sum.Explored, "schedule"), sum.FirstFindingMsg)
		if sum.Swarm != "" {
			fmt.Fprintf(w, "swarm mix of that schedule: %s\n", sum.Swarm)
		}
		fmt.Fprintf(w, "shrunk in %s: faults %d -> %d, duration %s -> %s\n", count(sum.ShrinkRuns, "run"), sum.FaultsBefore, sum.FaultsAfter, sum.DurationBefore, sum.DurationAfter)
		fmt.Fprintf(w, "minimal scenario: %s\nreproduce: %s\n", sum.Minimal, sum.Reproduce)
	default:
		fmt.Fprintf(w, "%s: no finding in %s\n", sum.Scenario, count(sum.Explored, "schedule"))
	}
}

func mustCompactJSON(b []byte) []byte {
	var buf bytes.Buffer
	if err := json.Compact(&buf, b); err != nil {
		return b
	}
	return buf.Bytes()
}
