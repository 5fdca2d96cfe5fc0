package bundle

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/leasesim/leasesim/internal/buildinfo"
	"github.com/leasesim/leasesim/internal/exit"
	"github.com/leasesim/leasesim/internal/runner"
	"github.com/leasesim/leasesim/reports"
)

// Replay is `leasesim replay`: it re-runs the bundle at path (a directory or its
// bundle.json), prints the run and whether it is the recorded one, and names each
// expectation the bundle was written for that still fails. The error carries the exit
// (package exit): 0 reproduced and nothing fails, 1 a failure or NOT REPRODUCED, 3
// undecided, 4 a panic, 2 a bad bundle.
func Replay(w io.Writer, path string) error {
	info, sc, timeout, err := Read(path)
	if err != nil {
		return exit.Bad("%v", err)
	}
	// Bundles record messages (for their space-time diagrams): so does the replay, so
	// that the digests compare like with like.
	run, err := runner.RunSeed(sc, info.Seed, runner.Options{PorcupineTimeout: timeout, RecordMessages: true})
	var ie *runner.InternalError
	if errors.As(err, &ie) {
		fmt.Fprintf(w, "%v\n%s\n", ie, ie.Stack)
		if info.Reason == ReasonInternal {
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
	if info.Reason == ReasonInternal {
		fmt.Fprintf(w, "NOT REPRODUCED: the bundle recorded a panic (%s); seed %d now runs to the end\n", info.Panic, info.Seed)
		return exit.With(exit.Violated)
	}
	code, err := printReproduced(w, info, run)
	if err != nil {
		return err
	}
	for _, u := range UnmetOnSeed(sc, run, info) {
		fmt.Fprintln(w, u.Text)
		code = exit.Worst(code, exit.If(u.Undecided, exit.Undecided), exit.If(!u.Undecided, exit.Violated))
	}
	return exit.With(code)
}

// printReproduced says whether the replayed run is the recorded one (Compare)
// and returns the exit code.
func printReproduced(w io.Writer, info Info, run *runner.Run) (int, error) {
	diffs, err := Compare(info, run)
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

// WarnVersion tells w when the bundle at path (a directory or its bundle.json) was
// written by another leasesim version than this one: the replay may then differ for
// that reason alone. A bundle it cannot read is left to replay to report.
func WarnVersion(w io.Writer, path string) {
	info, err := ReadInfo(path)
	if err != nil || info.Version == "" {
		return
	}
	if now := buildinfo.Version(); info.Version != now {
		fmt.Fprintf(w, "leasesim: warning: bundle %s was written by leasesim %s; this is %s: a difference in the replay may come from the version\n", Dir(path), info.Version, now)
	}
}
