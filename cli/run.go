package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/leasesim/leasesim/internal/exit"
	"github.com/leasesim/leasesim/internal/load"
	"github.com/leasesim/leasesim/internal/rundir"
	"github.com/leasesim/leasesim/internal/runner"
	"github.com/leasesim/leasesim/reports"
	"github.com/leasesim/leasesim/result"
)

// runFlags are run's flags.
type runFlags struct {
	seed   uint64
	out    string
	asJSON bool
	trace  bool
	twice  bool
	swarm  bool
}

func newRunCmd() *cobra.Command {
	var fl runFlags
	cmd := &cobra.Command{
		Use:   "run SCENARIO",
		Short: "One run: verdict, metrics, timeline, history",
		Long:  longHelp("run"),
		Args:  cobra.ExactArgs(1),
		RunE:  func(cmd *cobra.Command, args []string) error { return runOne(cmd, args[0], fl) },
	}
	cmd.Flags().Uint64Var(&fl.seed, "seed", 0, "the seed to run (default: the scenario's first seed)")
	cmd.Flags().StringVar(&fl.out, "out", "", "write verdict, history, transcript, timeline and visualizations into this directory")
	cmd.Flags().BoolVar(&fl.asJSON, "json", false, "print one JSON object (the run result of docs/outputs.md)")
	cmd.Flags().BoolVar(&fl.trace, "trace", false, "print the event-by-event transcript before the verdict")
	cmd.Flags().BoolVar(&fl.swarm, "swarm", false, "swarm faults: every random: schedule draws its own mix of fault kinds and rates per seed, as with swarm: true")
	cmd.Flags().BoolVar(&fl.twice, "check-determinism", false, "run the seed twice and fail (exit 4) with the first differing event when the runs differ")
	return cmd
}

// runOne runs one seed of the scenario arg names, writes --out and prints the run.
func runOne(cmd *cobra.Command, arg string, fl runFlags) error {
	l, err := loadScenario(arg)
	if err != nil {
		return err
	}
	if fl.swarm {
		l.UseSwarm()
	}
	if !cmd.Flags().Changed("seed") {
		fl.seed = l.Scenario.SeedList()[0]
	}
	if fl.out != "" {
		d, err := prepareOut("--out", fl.out)
		if err != nil {
			return err
		}
		defer d.Release()
	}
	var transcript bytes.Buffer
	// The run directory's space-time diagrams draw the messages.
	opt := runner.Options{RecordMessages: fl.out != ""}
	if fl.trace || fl.out != "" {
		opt.Trace = &transcript
	}
	runSeed := runner.RunSeed
	if fl.twice {
		runSeed = runner.RunSeedTwice
	}
	run, err := runSeed(l.Scenario, fl.seed, opt)
	if err != nil {
		return nondeterminism(err)
	}
	if fl.out != "" {
		if err := rundir.Write(fl.out, run.History, run.Result, run.Check, rundir.Options{Transcript: transcript.Bytes()}); err != nil {
			return err
		}
		if err := rundir.WriteFile(filepath.Join(fl.out, "scenario.yaml"), l.Data); err != nil {
			return err
		}
	}
	if err := fl.print(cmd.OutOrStdout(), l, run, transcript.Bytes()); err != nil {
		return err
	}
	return exit.With(exit.ForVerdict(run.Result.Verdict))
}

// print prints the run: one JSON object with --json; otherwise the transcript (with
// --trace), the verdict and how to reproduce it.
func (fl runFlags) print(w io.Writer, l *load.Source, run *runner.Run, transcript []byte) error {
	if fl.asJSON {
		return printRunJSON(w, run.Result)
	}
	if fl.trace {
		w.Write(transcript)
	}
	reports.WriteRunText(w, run.Result, run.Check.Checks)
	fmt.Fprintf(w, "reproduce: %s\n", result.Command("run", l.File, "--seed", strconv.FormatUint(fl.seed, 10)))
	if fl.out != "" {
		fmt.Fprintf(w, "results in %s\n", fl.out)
	}
	return nil
}

// nondeterminism maps a run's error to its exit: 4 for a run that did not repeat itself
// (--check-determinism) or panicked, 2 for one that could not be built.
func nondeterminism(err error) error {
	var nd *runner.NondeterminismError
	if errors.As(err, &nd) {
		return &exit.Error{Code: exit.Internal, Err: err}
	}
	return runFailed(err)
}
