package cli

import (
	"time"

	"github.com/leasesim/leasesim/internal/budget"
	"github.com/leasesim/leasesim/result"
)

// wallClock is the clock --for budgets read; tests replace it with a budget.StepClock,
// so that a budget runs out after a fixed number of seeds instead of after a sleep.
var wallClock budget.Clock = budget.System

// forFlag is a --for DURATION flag (suite, explore, sweep): a wall-clock budget, positive
// and with a unit. Its zero value is "not given".
type forFlag struct {
	d time.Duration
}

func (f *forFlag) String() string {
	if f.d == 0 {
		return ""
	}
	return result.FormatDuration(f.d)
}

// Set parses the value; pflag names the flag and value in the error (exit 2).
func (f *forFlag) Set(s string) error {
	d, err := budget.Parse(s)
	if err != nil {
		return err
	}
	f.d = d
	return nil
}

// Type is what --help shows after the flag's name.
func (*forFlag) Type() string { return "duration" }

// given reports whether the flag was given.
func (f *forFlag) given() bool { return f.d > 0 }

// start starts the budget on wallClock (nil when --for was not given).
func (f *forFlag) start() *budget.Budget {
	if !f.given() {
		return nil
	}
	return budget.Start(f.d, wallClock)
}
