package exit

import (
	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/result"
)

// The exit codes (docs/cli.md); precedence orders them when several apply.
const (
	// OK: every expectation met (every property held).
	OK = 0
	// Violated: an expectation failed or a property was violated.
	Violated = 1
	// BadInput: bad input or usage; the message names the file, line, field or flag.
	BadInput = 2
	// Undecided: a check could not decide (a porcupine timeout) and nothing failed.
	Undecided = 3
	// Internal: a run panicked or leasesim hit a bug of its own; please report it.
	Internal = 4
	// Interrupted: the command was stopped by SIGINT or SIGTERM (128 + SIGINT).
	Interrupted = 130
)

// precedence lists the exit codes from the one that wins to the one that yields when
// a command has several to report. An interrupted command's results are incomplete, so
// nothing else it says is final (130). An internal error means leasesim itself cannot be
// trusted for this run (4). Bad input means part of what was asked did not run (2). A
// failed expectation is a definite answer (1) and outranks a check that could not decide
// (3), which outranks success (0).
var precedence = []int{Interrupted, Internal, BadInput, Violated, Undecided, OK}

// Worst returns the code among codes that comes first in the precedence: 130, 4, 2, 1,
// 3, 0 (OK for none).
func Worst(codes ...int) int {
	for _, want := range precedence {
		for _, c := range codes {
			if c == want {
				return c
			}
		}
	}
	return OK
}

// If returns code when cond holds, else OK.
func If(cond bool, code int) int {
	if cond {
		return code
	}
	return OK
}

// ForVerdict maps a run's verdict to its exit code: 1 violated, 3 unknown, else 0.
func ForVerdict(v checker.Verdict) int {
	switch v {
	case checker.Violated:
		return Violated
	case checker.Unknown:
		return Undecided
	}
	return OK
}

// ForSuite is the exit code of a suite's verdict (result.JudgeSuite): 0 met, 1 an
// expectation failed or a scenario could not run, 3 undecided.
func ForSuite(rs []result.ScenarioResult) int {
	return map[result.SuiteVerdict]int{result.SuiteMet: OK, result.SuiteFailed: Violated, result.SuiteUndecided: Undecided}[result.JudgeSuite(rs)]
}
