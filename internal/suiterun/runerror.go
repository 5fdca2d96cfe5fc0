package suiterun

import (
	"context"
	"errors"
	"fmt"

	"github.com/leasesim/leasesim/internal/exit"
	"github.com/leasesim/leasesim/internal/runner"
)

// RunError sorts out the error err that Run returned, interrupted whether the suite was
// stopped. A panic while recording a run (returned as ie) and an interruption leave
// results to show, which ExitCode judges: the code is exit.OK. Any other error is a
// scenario that loaded but could not be built for a seed; the other results would be
// evaluated over missing seeds, so none is shown: RunError says so on stderr and returns
// bad input (or internal error if a run also panicked, or interrupted).
func (s *Suite) RunError(err error, interrupted bool) (ie *runner.InternalError, code int) {
	if err == nil || errors.Is(err, context.Canceled) || errors.As(err, &ie) {
		return ie, exit.OK
	}
	fmt.Fprintln(s.cfg.Stderr, "leasesim:", err)
	return nil, exit.Worst(exit.BadInput, exit.If(s.Panicked(), exit.Internal), exit.If(interrupted, exit.Interrupted))
}
