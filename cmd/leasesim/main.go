// Command leasesim simulates lease protocols deterministically and checks their safety;
// see `leasesim --help` and docs/cli.md. The commands live in package cli.
//
// Exit codes: 0 every expectation met, 1 an expectation failed or a property was
// violated, 2 bad input or usage, 3 a check could not decide, 4 an internal error (a run
// panicked: a bug to report), 130 interrupted (SIGINT or SIGTERM).
package main

import (
	"os"

	"github.com/leasesim/leasesim/cli"
)

func main() {
	os.Exit(cli.Main())
}
