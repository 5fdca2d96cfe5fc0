// Command pgoprofile runs one leasesim command line under the CPU profiler, for the
// profile that cmd/leasesim/default.pgo is built from (scripts/pgo.sh):
//
//	go run ./scripts/pgoprofile -o /tmp/suite.pprof -- suite -q --workers 1 --out /tmp/suite
//
// It exits with the command's exit code. The profile covers the whole command, as a
// user's run of the leasesim binary would.
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime/pprof"

	"github.com/leasesim/leasesim/cli"
)

func main() {
	out := flag.String("o", "", "write the CPU profile to this file (required)")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: pgoprofile -o FILE -- LEASESIM-ARGS...")
		flag.PrintDefaults()
	}
	flag.Parse()
	if *out == "" || flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	os.Exit(run(*out, flag.Args()))
}

// run profiles leasesim's command line args into the file out and returns the command's
// exit code (2 when out cannot be written).
func run(out string, args []string) int {
	f, err := os.Create(out)
	if err != nil {
		fmt.Fprintf(os.Stderr, "pgoprofile: -o: %v\n", err)
		return 2
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		fmt.Fprintf(os.Stderr, "pgoprofile: -o %s: %v\n", out, err)
		f.Close()
		return 2
	}
	code := cli.Execute(args, os.Stdout, os.Stderr)
	pprof.StopCPUProfile()
	if err := f.Close(); err != nil {
		fmt.Fprintf(os.Stderr, "pgoprofile: -o %s: %v\n", out, err)
		return 2
	}
	return code
}
