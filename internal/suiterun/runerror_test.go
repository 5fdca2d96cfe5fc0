package suiterun

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/leasesim/leasesim/internal/exit"
	"github.com/leasesim/leasesim/internal/runner"
)

// TestRunError: no error, an interruption and a panic while recording leave the results
// to ExitCode (exit.OK, the panic returned); a scenario that could not be built ends the
// suite with bad input, said on stderr, or worse when a run also panicked or the suite
// was interrupted.
func TestRunError(t *testing.T) {
	panicked := &runner.InternalError{}
	unbuilt := errors.New("x.yaml: seed 3: cannot build")
	for _, c := range []struct {
		name        string
		err         error
		interrupted bool
		panics      int // runs that panicked
		ie          bool
		want        int
		say         string
	}{
		{"none", nil, false, 0, false, exit.OK, ""},
		{"interrupted", fmt.Errorf("suite: %w", context.Canceled), true, 0, false, exit.OK, ""},
		{"panicked", fmt.Errorf("suite: %w", panicked), false, 1, true, exit.OK, ""},
		{"not built", unbuilt, false, 0, false, exit.BadInput, "leasesim: x.yaml: seed 3: cannot build\n"},
		{"not built, a run panicked", unbuilt, false, 1, false, exit.Internal, "cannot build"},
		{"not built, interrupted", unbuilt, true, 0, false, exit.Interrupted, "cannot build"},
	} {
		var stderr bytes.Buffer
		done := &runner.SuiteOutcome{Panics: runner.Panics{}}
		if c.panics > 0 {
			done.Panics[0] = []*runner.InternalError{panicked}
		}
		s := &Suite{cfg: Config{Stderr: &stderr}, done: done}
		ie, code := s.RunError(c.err, c.interrupted)
		if code != c.want || (ie != nil) != c.ie || (c.say == "") != (stderr.Len() == 0) || !strings.Contains(stderr.String(), c.say) {
			t.Errorf("%s: ie %v, exit %d, stderr %q; want ie %v, exit %d, stderr %q", c.name, ie, code, stderr.String(), c.ie, c.want, c.say)
		}
	}
}
