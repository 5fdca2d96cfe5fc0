package cli

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/leasesim/leasesim/internal/runner"
)

func init() {
	subcommands = append(subcommands, func() *cobra.Command {
		var (
			seed    uint64
			seedSet bool
			swarm   bool
			out     string
			asJSON  bool
			trace   bool
			twice   bool
		)
		cmd := &cobra.Command{
			Use:   "run SCENARIO",
			Short: "One run: verdict, metrics, timeline, history",
			Long: `run simulates one seed of a scenario (a file, or the name of a built-in scenario) and
checks it. Exit 0 when every property holds, 1 when one is violated, 3 when a check
could not decide, 2 for bad input, 4 when the run panicked or, with --check-determinism,
ran differently the second time (an internal error). With --out DIR it writes the verdict, the history
(JSON lines), the transcript, the timeline and porcupine's visualization of each P1
finding.`,
			Args: cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				l, err := loadScenario(args[0])
				if err != nil {
					return err
				}
				if swarm {
					useSwarm(l)
				}
				seedSet = cmd.Flags().Changed("seed")
				if !seedSet {
					seed = l.sc.SeedList()[0]
				}
				if out != "" {
					d, err := prepareOut("--out", out)
					if err != nil {
						return err
					}
					defer d.Release()
				}
				var transcript bytes.Buffer
				opt := runner.Options{}
				if trace || out != "" {
					opt.Trace = &transcript
				}
				runSeed := runner.RunSeed
				if twice {
					runSeed = runner.RunSeedTwice
				}
				// The run directory's space-time diagrams draw the messages.
				opt.RecordMessages = out != ""
				run, err := runSeed(l.sc, seed, opt)
				if err != nil {
					return nondeterminism(err)
				}
				if out != "" {
					if err := writeRunDir(out, run.History, run.Result, run.Check, transcript.Bytes()); err != nil {
						return err
					}
					if err := writeFileAtomic(filepath.Join(out, "scenario.yaml"), l.data); err != nil {
						return err
					}
				}
				w := cmd.OutOrStdout()
				if asJSON {
					if err := printRunJSON(w, run.Result); err != nil {
						return err
					}
				} else {
					if trace {
						w.Write(transcript.Bytes())
					}
					printRunText(w, run.Result, run.Check.Checks)
					fmt.Fprintf(w, "reproduce: leasesim run %s --seed %s\n", l.file, strconv.FormatUint(seed, 10))
					if out != "" {
						fmt.Fprintf(w, "results in %s\n", out)
					}
				}
				return withCode(exitCodeFor(run.Result.Verdict))
			},
		}
		cmd.Flags().Uint64Var(&seed, "seed", 0, "the seed to run (default: the scenario's first seed)")
		cmd.Flags().StringVar(&out, "out", "", "write verdict, history, transcript, timeline and visualizations into this directory")
		cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object (the run result of docs/outputs.md)")
		cmd.Flags().BoolVar(&trace, "trace", false, "print the event-by-event transcript before the verdict")
		cmd.Flags().BoolVar(&swarm, "swarm", false, "swarm faults: every random: schedule draws its own mix of fault kinds and rates per seed, as with swarm: true")
		cmd.Flags().BoolVar(&twice, "check-determinism", false, "run the seed twice and fail (exit 4) with the first differing event when the runs differ")
		return cmd
	})
}

// nondeterminism maps a run's error to its exit: 4 for a run that did not repeat itself
// (--check-determinism) or panicked, 2 for one that could not be built.
func nondeterminism(err error) error {
	var nd *runner.NondeterminismError
	if errors.As(err, &nd) {
		return &exitError{code: exitInternal, err: err}
	}
	return runFailed(err)
}
