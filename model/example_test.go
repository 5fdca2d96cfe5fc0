package model_test

import (
	"fmt"
	"time"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/history"
	"github.com/leasesim/leasesim/leasesimtest"
	"github.com/leasesim/leasesim/model"
	"github.com/leasesim/leasesim/model/resource"
	"github.com/leasesim/leasesim/scenarios"
	"github.com/leasesim/leasesim/sim"
)

// The messages of a minimal lock service: a holder asks, the issuer grants the lock for
// good to the first holder that asked (its mutant grants it to everyone).
const (
	msgAsk   sim.MsgType = sim.MsgUser + iota // holder -> Q; also the holder's timer
	msgGrant                                  // Q -> holder, Epoch and Token: the grant
)

type onceIssuer struct {
	everyone bool // the mutant
	granted  uint64
}

func (q *onceIssuer) Start(env *sim.Env) {}

func (q *onceIssuer) Step(env *sim.Env, m sim.Message) {
	if m.Type == msgAsk && (q.granted == 0 || q.everyone) {
		q.granted++
		env.Send(sim.Message{Type: msgGrant, To: m.From, Epoch: q.granted, Token: q.granted})
	}
}

type onceHolder struct{ asked bool }

func (h *onceHolder) Start(env *sim.Env) {
	env.After(env.Rand().Int64N(int64(time.Second))+1, sim.Message{Type: msgAsk})
}

func (h *onceHolder) Step(env *sim.Env, m sim.Message) {
	switch m.Type {
	case msgAsk:
		env.Send(sim.Message{Type: msgAsk, To: env.Issuers()[0]})
	case msgGrant:
		env.ClaimForever(history.LeaderLease, m.Epoch)
		resource.Write(env, m.Epoch, m.Token)
	}
}

// onceLock is the protocol: no parameters of its own, one mutant.
var onceLock = &model.Protocol{
	Name:    "example-once-lock",
	Doc:     "Q grants the lock for good to the first holder that asks",
	Mutants: []model.Mutant{{Name: "grants-everyone", Breaks: "p1", Doc: "Q grants every request"}},
	Build: func(s model.Setup) (map[string]func() sim.Node, error) {
		nodes := map[string]func() sim.Node{
			s.Issuers[0]: func() sim.Node { return &onceIssuer{everyone: s.Mutant == "grants-everyone"} },
		}
		for _, h := range s.Holders {
			nodes[h] = func() sim.Node { return &onceHolder{} }
		}
		if s.Resource != "" {
			nodes[s.Resource] = resource.New(true)
		}
		return nodes, nil
	},
}

// ExampleRegister registers a protocol and checks it against a catalog scenario, with
// the protocol in place of the scenario's own (package leasesimtest; in a _test.go file,
// leasesimtest.Run does the same with one subtest per scenario and seed).
func ExampleRegister() {
	if _, ok := model.Lookup(onceLock.Name); !ok {
		model.Register(onceLock) // leasesimtest.Check would register it too
	}
	rep, err := leasesimtest.Check(onceLock, leasesimtest.Catalog("lease-leader-crash"), leasesimtest.Seeds(3))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d runs, %d failures\n", rep.Runs, len(rep.Failures))
	// Output:
	// 3 runs, 0 failures
}

// ExampleProtocol runs a protocol's mutant from a scenario written for it: parse, build
// the run's configuration for one seed, run the kernel, check the history.
func ExampleProtocol() {
	if _, ok := model.Lookup(onceLock.Name); !ok {
		model.Register(onceLock)
	}
	sc, err := scenarios.Parse([]byte(`
name: once-lock-everyone
protocol: example-once-lock
mutant: grants-everyone
holders: [A, B]
resource: true
duration: 10s
expect: {p1: violated}
`), "once.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	cfg, err := sc.Config(1)
	if err != nil {
		fmt.Println(err)
		return
	}
	h, err := sim.Run(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	res := checker.Check(h, checker.Options{})
	fmt.Println(res.Verdict, res.Findings[0].Kind)
	// Output:
	// violated p1
}
