package runner

import (
	"fmt"
	"runtime/debug"
)

// InternalError is a run that panicked: a bug in leasesim or in a protocol model, not
// a property of the protocol under test. It names the scenario and seed so that the run
// can be replayed, and keeps the panic's value and stack for the bug report.
type InternalError struct {
	Scenario string
	Seed     uint64
	// Value is what the code panicked with, as text.
	Value string
	// Stack is the goroutine's stack at the panic.
	Stack []byte
}

func (e *InternalError) Error() string {
	return fmt.Sprintf("internal error: %s seed %d: panic: %s", e.Scenario, e.Seed, e.Value)
}

// recoverRun turns a panic of the run of scenario's seed into an *InternalError stored
// in *err. It must be deferred directly by the function whose panics it catches.
func recoverRun(scenario string, seed uint64, err *error) {
	v := recover()
	if v == nil {
		return
	}
	*err = newInternalError(scenario, seed, v)
}

// newInternalError describes a panic with value v; call it in the deferred function that
// recovered, so that the stack is the panic's.
func newInternalError(scenario string, seed uint64, v any) *InternalError {
	return &InternalError{Scenario: scenario, Seed: seed, Value: fmt.Sprint(v), Stack: debug.Stack()}
}
