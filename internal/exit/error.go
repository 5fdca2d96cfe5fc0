package exit

import "fmt"

// Error carries an exit code out of a command. A nil Err with a code reports nothing
// more (the command already printed its results).
type Error struct {
	Code int
	Err  error
}

// Error is Err's message, or "exit CODE" without one.
func (e *Error) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit %d", e.Code)
	}
	return e.Err.Error()
}

// Unwrap returns Err.
func (e *Error) Unwrap() error { return e.Err }

// Bad is a usage or input error: exit 2 with the formatted message, which names the
// file, line, field or flag and what is expected.
func Bad(format string, args ...any) error {
	return &Error{Code: BadInput, Err: fmt.Errorf(format, args...)}
}

// With ends a command with code after it printed its results: nil for OK.
func With(code int) error {
	if code == OK {
		return nil
	}
	return &Error{Code: code}
}
