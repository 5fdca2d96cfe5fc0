package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/leasesim/leasesim/internal/bundle"
	"github.com/leasesim/leasesim/internal/exit"
	"github.com/leasesim/leasesim/internal/runner"
	"github.com/leasesim/leasesim/reports"
)

func init() {
	subcommands = append(subcommands, func() *cobra.Command {
		return &cobra.Command{
			Use:   "replay DIR|FILE",
			Short: "Re-run a saved failure bit for bit",
			Long:  longHelp("replay"),
			Args:  cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				warnVersion(cmd.ErrOrStderr(), args[0])
				return replay(cmd.OutOrStdout(), args[0])
			},
		}
	})
}

// replay re-runs the bundle at path and reports whether it reproduces.
func replay(w io.Writer, path string) error {
	info, sc, timeout, err := bundle.Read(path)
	if err != nil {
		return exit.Bad("%v", err)
	}
	// Bundles record messages (for their space-time diagrams): so does the replay, so
	// that the digests compare like with like.
	run, err := runner.RunSeed(sc, info.Seed, runner.Options{PorcupineTimeout: timeout, RecordMessages: true})
	var ie *runner.InternalError
	if errors.As(err, &ie) {
		fmt.Fprintf(w, "%v\n%s\n", ie, ie.Stack)
		if info.Reason == bundle.ReasonInternal {
			fmt.Fprintf(w, "reproduced: seed %d panics again (internal error: please report it)\n", info.Seed)
		} else {
			fmt.Fprintf(w, "NOT REPRODUCED: seed %d now panics; the bundle recorded verdict %s\n", info.Seed, info.Verdict)
		}
		return &exit.Error{Code: exit.Internal}
	}
	if err != nil {
		return exit.Bad("%v", err)
	}
	reports.WriteRunText(w, run.Result, run.Check.Checks)
	if info.Reason == bundle.ReasonInternal {
		fmt.Fprintf(w, "NOT REPRODUCED: the bundle recorded a panic (%s); seed %d now runs to the end\n", info.Panic, info.Seed)
		return exit.With(exit.Violated)
	}
	code, err := printReproduced(w, info, run)
	if err != nil {
		return err
	}
	for _, u := range bundle.UnmetOnSeed(sc, run, info) {
		fmt.Fprintln(w, u.Text)
		code = exit.Worst(code, exit.If(u.Undecided, exit.Undecided), exit.If(!u.Undecided, exit.Violated))
	}
	return exit.With(code)
}

// printReproduced says whether the replayed run is the recorded one (bundle.Compare)
// and returns the exit code.
func printReproduced(w io.Writer, info bundle.Info, run *runner.Run) (int, error) {
	diffs, err := bundle.Compare(info, run)
	if err != nil {
		return 0, err
	}
	code := exit.ForVerdict(run.Result.Verdict)
	if len(diffs) > 0 {
		fmt.Fprintf(w, "NOT REPRODUCED: %s\n", strings.Join(diffs, "; "))
		return exit.Worst(code, exit.Violated), nil
	}
	what := "trace " + info.TraceHash
	if info.Digest != "" {
		what += ", history digest " + info.Digest
	} else {
		what += " (the bundle records no history digest: only the trace hash and verdict were compared)"
	}
	fmt.Fprintf(w, "reproduced: seed %d, %s, verdict %s\n", info.Seed, what, run.Result.Verdict)
	return code, nil
}
