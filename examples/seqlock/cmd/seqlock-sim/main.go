// Command seqlock-sim is the leasesim command line with the seqlock protocols registered
// next to the built-in ones: every leasesim command (suite, run, sweep, explore, report,
// replay, list) works on scenarios that name seqlock or seqlock-broken.
//
//	go run ./cmd/seqlock-sim suite scenarios/cut.yaml
//	go run ./cmd/seqlock-sim run scenarios/cut-broken.yaml --seed 3
//	go run ./cmd/seqlock-sim sweep scenarios/cut.yaml --set guard=0ms,250ms --seeds 5
//
// Exit codes are leasesim's: 0 every expectation met, 1 one failed, 2 bad input.
package main

import (
	"os"

	"github.com/leasesim/leasesim/cli"
	"github.com/leasesim/leasesim/examples/seqlock"
	"github.com/leasesim/leasesim/model"
)

func init() {
	model.Register(seqlock.Protocol)
	model.Register(seqlock.Broken)
}

func main() {
	os.Exit(cli.Main())
}
