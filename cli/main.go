// Package cli is leasesim's command line: the commands, their flags and what they print.
// cmd/leasesim is a main that calls Main; a user's own main can register a protocol
// (model.Register) and call Main too, so that suite, sweep, tune, explore, report and
// replay run on that protocol (docs/api.md, examples/seqlock/cmd/seqlock-sim). It holds no
// engine: sweeps, tune, explore, results and reports live in their own packages.
//
// The exit codes and which wins when several apply are package internal/exit's
// (docs/cli.md); Execute turns an *exit.Error into its code.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/leasesim/leasesim/internal/exit"
	"github.com/leasesim/leasesim/internal/outdir"
	"github.com/leasesim/leasesim/internal/runner"
	_ "github.com/leasesim/leasesim/model/all" // every protocol of the catalog
	"github.com/leasesim/leasesim/result"
)

// signalContext returns a context cancelled on SIGINT or SIGTERM. Once cancelled it
// stops catching them, so that a second Ctrl-C ends the process at once. stop releases
// the signals.
func signalContext() (ctx context.Context, stop func()) {
	ctx, stop = signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	context.AfterFunc(ctx, stop)
	return ctx, stop
}

// runFailed is the error of a run that could not complete: exit 4 with a request to
// report it when the run panicked (a *runner.InternalError), exit 2 otherwise (a
// scenario that cannot be built).
func runFailed(err error) error {
	var ie *runner.InternalError
	if errors.As(err, &ie) {
		return &exit.Error{Code: exit.Internal, Err: fmt.Errorf("%w (please report it)\n%s", err, ie.Stack)}
	}
	return exit.Bad("%v", err)
}

// claimOut prepares the --out directory *dir (prepareOut), out/CMD-NAME when *dir is
// empty, for the command cmd on the scenario name.
func claimOut(dir *string, cmd, name string) (*outdir.Dir, error) {
	if *dir == "" {
		*dir = filepath.Join("out", cmd+"-"+name)
	}
	return prepareOut("--out", *dir)
}

// prepareOut creates and checks the directory a --out flag names, and locks it against
// another leasesim process, before any work. Release the result when done.
func prepareOut(flag, dir string) (*outdir.Dir, error) {
	d, err := outdir.Prepare(flag, dir)
	if err != nil {
		return nil, exit.Bad("%v", err)
	}
	return d, nil
}

func newRoot() *cobra.Command {
	root := &cobra.Command{
		Use:           "leasesim",
		Short:         "Deterministic simulation and checking of lease protocols",
		Long:          longHelp("leasesim"),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return exit.Bad("%v (see %s --help)", err, c.CommandPath())
	})
	root.PersistentPreRun = func(cmd *cobra.Command, args []string) { useSimulationGC(cmd, os.Getenv) }
	addProgressFlags(root)
	for _, add := range subcommands {
		root.AddCommand(add())
	}
	return root
}

// subcommands are the commands of the root, each built by the file that implements it.
var subcommands = []func() *cobra.Command{
	newRunCmd, newSuiteCmd, newSweepCmd, newTuneCmd, newExploreCmd, newReportCmd, newReplayCmd,
	newCheckCmd, newListCmd, newBenchCmd, newLiveCmd, newLiveHolderCmd, newVersionCmd,
}

// Main runs leasesim's command line on the process's arguments and streams and returns
// the exit code (docs/cli.md); a main calls os.Exit(cli.Main()). Every protocol
// registered with model.Register before the call can be named by scenarios, next to
// the built-in ones. The commands it prints for people to run next (reproduce, replay)
// name the running binary (result.Program).
func Main() int {
	result.Program = result.ProgramName(os.Args[0]) // the commands it prints name this binary
	return Execute(os.Args[1:], os.Stdout, os.Stderr)
}

// Execute runs the command line args (without the program name) with the given output
// streams and returns the process exit code.
func Execute(args []string, stdout, stderr io.Writer) (code int) {
	// A panic in leasesim's own code (runs catch theirs) is a bug: say so and exit 4
	// rather than with the Go runtime's 2, which means bad input here.
	defer func() {
		if v := recover(); v != nil {
			fmt.Fprintf(stderr, "leasesim: internal error: please report it: panic: %v\n%s", v, debug.Stack())
			code = exit.Internal
		}
	}()
	root := newRoot()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.Execute()
	if err == nil {
		return exit.OK
	}
	var ee *exit.Error
	if errors.As(err, &ee) {
		if ee.Err != nil {
			fmt.Fprintln(stderr, "leasesim:", ee.Err)
		}
		return ee.Code
	}
	// Cobra's own errors (unknown command, wrong argument count) are usage errors.
	fmt.Fprintln(stderr, "leasesim:", err)
	return exit.BadInput
}
