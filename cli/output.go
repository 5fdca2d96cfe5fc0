package cli

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/leasesim/leasesim/result"
)

// printRunJSON prints one run as a single JSON object (the run result of docs/outputs.md).
func printRunJSON(w io.Writer, r result.RunResult) error {
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", b)
	return err
}
