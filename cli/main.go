// Package cli is leasesim's command line: the commands, their flags and what they print.
// cmd/leasesim is a main that calls Main; a user's own main can register a protocol
// (model.Register) and call Main too, so that suite, sweep, tune, explore, report and
// replay run on that protocol (docs/api.md, examples/seqlock/cmd/seqlock-sim). It holds no
// engine: sweeps, tune, explore, results and reports live in their own packages.
//
// Exit codes: 0 every expectation met, 1 an expectation failed or a property was
// violated, 2 bad input or usage, 3 a check could not decide (porcupine timeout), 4 an
// internal error (a run panicked: a bug to report), 130 interrupted (SIGINT or
// SIGTERM). When several apply, the first of 130, 4, 2, 1, 3 wins (worstExit).
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/leasesim/leasesim/internal/outdir"
	"github.com/leasesim/leasesim/internal/runner"
	_ "github.com/leasesim/leasesim/model/all" // every protocol of the catalog
)

// Exit codes (docs/cli.md); exitPrecedence orders them when several apply.
const (
	exitOK        = 0
	exitViolated  = 1
	exitBadInput  = 2
	exitUndecided = 3
	// exitInternal: a run panicked or leasesim hit a bug of its own; please report it.
	exitInternal = 4
	// exitInterrupted: the command was stopped by SIGINT or SIGTERM (128 + SIGINT).
	exitInterrupted = 130
)

// exitPrecedence lists the exit codes from the one that wins to the one that yields when
// a command has several to report. An interrupted command's results are incomplete, so
// nothing else it says is final (130). An internal error means leasesim itself cannot be
// trusted for this run (4). Bad input means part of what was asked did not run (2). A
// failed expectation is a definite answer (1) and outranks a check that could not decide
// (3), which outranks success (0).
var exitPrecedence = []int{exitInterrupted, exitInternal, exitBadInput, exitViolated, exitUndecided, exitOK}

// worstExit returns the code among codes that comes first in exitPrecedence.
func worstExit(codes ...int) int {
	for _, want := range exitPrecedence {
		for _, c := range codes {
			if c == want {
				return c
			}
		}
	}
	return exitOK
}

// signalContext returns a context cancelled on SIGINT or SIGTERM. Once cancelled it
// stops catching them, so that a second Ctrl-C ends the process at once. stop releases
// the signals.
func signalContext() (ctx context.Context, stop func()) {
	ctx, stop = signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	context.AfterFunc(ctx, stop)
	return ctx, stop
}

// exitError carries an exit code out of a command. A nil err with a code reports nothing
// more (the command already printed its results).
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// badInput wraps a usage or input error: exit 2 with its message.
func badInput(format string, args ...any) error {
	return &exitError{code: exitBadInput, err: fmt.Errorf(format, args...)}
}

// runFailed is the error of a run that could not complete: exit 4 with a request to
// report it when the run panicked (a *runner.InternalError), exit 2 otherwise (a
// scenario that cannot be built).
func runFailed(err error) error {
	var ie *runner.InternalError
	if errors.As(err, &ie) {
		return &exitError{code: exitInternal, err: fmt.Errorf("%w (please report it)\n%s", err, ie.Stack)}
	}
	return badInput("%v", err)
}

// prepareOut creates and checks the directory a --out flag names, and locks it against
// another leasesim process, before any work. Release the result when done.
func prepareOut(flag, dir string) (*outdir.Dir, error) {
	d, err := outdir.Prepare(flag, dir)
	if err != nil {
		return nil, badInput("%v", err)
	}
	return d, nil
}

// withCode ends a command with code after it printed its results.
func withCode(code int) error {
	if code == exitOK {
		return nil
	}
	return &exitError{code: code}
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
		return badInput("%v (see %s --help)", err, c.CommandPath())
	})
	addProgressFlags(root)
	for _, add := range subcommands {
		root.AddCommand(add())
	}
	return root
}

// subcommands are registered by the files that implement them.
var subcommands []func() *cobra.Command

// Main runs leasesim's command line on the process's arguments and streams and returns
// the exit code (docs/cli.md); a main calls os.Exit(cli.Main()). Every protocol
// registered with model.Register before the call can be named by scenarios, next to
// the built-in ones.
func Main() int {
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
			code = exitInternal
		}
	}()
	root := newRoot()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.Execute()
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintln(stderr, "leasesim:", ee.err)
		}
		return ee.code
	}
	// Cobra's own errors (unknown command, wrong argument count) are usage errors.
	fmt.Fprintln(stderr, "leasesim:", err)
	return exitBadInput
}
