package result

import (
	"path/filepath"
	"strings"
)

// Program is the name of the command line that is running, the first word of every
// command leasesim prints for people to run next (reproduce, replay, check, report): the
// `leasesim` binary, or a user's own main built on cli.Main, such as examples/seqlock's
// seqlock-sim, whose protocols only that binary knows. cli.Main sets it from the
// process's arguments before any command runs; it is read, never written, after that.
// Tests and other callers of the engines keep "leasesim".
//
// It is one process-wide name rather than a parameter because the hints are built deep
// in several engines (result's merge, suitedir, bundle, liverun, tune) whose callers
// know nothing of the program; the deterministic core (sim, model, checker, history,
// scenarios) prints no command and never reads it.
var Program = "leasesim"

// Command is the command line that runs Program with args, as printed for people:
// Command("run", "x.yaml", "--seed", "3") is "leasesim run x.yaml --seed 3".
func Command(args ...string) string {
	return strings.Join(append([]string{Program}, args...), " ")
}

// ProgramName is the name people type for the program started as arg0 (os.Args[0]):
// its last path element without a Windows ".exe" ("/go/bin/seqlock-sim" is
// "seqlock-sim"; `go run`'s temporary binary has its package's name). It is "leasesim"
// when arg0 says nothing.
func ProgramName(arg0 string) string {
	name := strings.TrimSuffix(filepath.Base(filepath.FromSlash(arg0)), ".exe")
	if name == "" || name == "." || name == string(filepath.Separator) {
		return "leasesim"
	}
	return name
}
