// Command leasesim simulates lease protocols deterministically and checks their safety;
// see `leasesim --help` and docs/cli.md.
//
// Exit codes: 0 every expectation met, 1 an expectation failed or a property was
// violated, 2 bad input or usage, 3 a check could not decide (porcupine timeout).
package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	_ "github.com/leasesim/leasesim/model/all" // every protocol of the catalog
)

// Exit codes (docs/cli.md).
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

// withCode ends a command with code after it printed its results.
func withCode(code int) error {
	if code == exitOK {
		return nil
	}
	return &exitError{code: code}
}

func newRoot() *cobra.Command {
	root := &cobra.Command{
		Use:   "leasesim",
		Short: "Deterministic simulation and checking of lease protocols",
		Long: `leasesim runs lease protocols (an issuer granting time-bounded promises to holders)
in a deterministic simulator with injected faults, and checks that no two holders ever
claim a lease at the same true time (P1), that the resource never accepts stale writes
(P2), that the issuer's client API is linearizable (P3) and that the issuer never
declares a node failed while the node still believes it is alive (P4).

Exit codes: 0 all expectations met, 1 an expectation failed or a property was violated,
2 bad input or usage, 3 a check could not decide.`,
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

func main() {
	os.Exit(execute(os.Args[1:], os.Stdout, os.Stderr))
}

// execute runs the command line with the given output streams and returns the process
// exit code.
func execute(args []string, stdout, stderr io.Writer) int {
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
