package cli

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/result"
)

// exitCodeFor maps a verdict to the process exit code (docs/cli.md).
func exitCodeFor(v checker.Verdict) int {
	switch v {
	case checker.Violated:
		return exitViolated
	case checker.Unknown:
		return exitUndecided
	}
	return exitOK
}

// printRunJSON prints one run as a single JSON object (the run result of docs/outputs.md).
func printRunJSON(w io.Writer, r result.RunResult) error {
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", b)
	return err
}
