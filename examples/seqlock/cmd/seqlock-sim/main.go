// Command seqlock-sim runs scenario files (a failure bundle's scenario.yaml, say) with
// the seqlock protocols registered, and prints what it found. It is a stand-in for the
// leasesim command, which cannot yet load a protocol from another module.
//
//	go run ./cmd/seqlock-sim [-seeds N] FILE...
//
// Exit 0 when every expectation is met, 1 when one fails, 2 for bad input.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/leasesim/leasesim/examples/seqlock"
	"github.com/leasesim/leasesim/leasesimtest"
	"github.com/leasesim/leasesim/model"
	"github.com/leasesim/leasesim/scenarios"
)

func main() {
	seeds := flag.Int("seeds", 0, "seeds per scenario (0: the file's seeds:)")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: seqlock-sim [-seeds N] FILE...")
		os.Exit(2)
	}
	model.Register(seqlock.Protocol)
	model.Register(seqlock.Broken)
	failed := false
	for _, file := range flag.Args() {
		p, err := protocolOf(file)
		if err != nil {
			fmt.Fprintln(os.Stderr, "seqlock-sim:", err)
			os.Exit(2)
		}
		opts := []leasesimtest.Option{leasesimtest.Files(file)}
		if *seeds > 0 {
			opts = append(opts, leasesimtest.Seeds(*seeds))
		}
		rep, err := leasesimtest.Check(p, opts...)
		if err != nil {
			fmt.Fprintln(os.Stderr, "seqlock-sim:", err)
			os.Exit(2)
		}
		fmt.Printf("%s: %d runs, %d failures\n", file, rep.Runs, len(rep.Failures))
		for _, f := range rep.Failures {
			failed = true
			fmt.Printf("%s\nbundle: %s\n", f.Message, f.Bundle)
		}
	}
	if failed {
		os.Exit(1)
	}
}

// protocolOf returns the seqlock protocol the file names (its protocol: line).
func protocolOf(file string) (*model.Protocol, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	sc, err := scenarios.Parse(data, file)
	if err != nil {
		return nil, err
	}
	p, ok := model.Lookup(sc.Protocol)
	if !ok || (p != seqlock.Protocol && p != seqlock.Broken) {
		return nil, fmt.Errorf("%s: protocol: %s; expected %s or %s", file, sc.Protocol, seqlock.Protocol.Name, seqlock.Broken.Name)
	}
	return p, nil
}
