package runner

import (
	"fmt"
	"io"
	"time"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/history"
	"github.com/leasesim/leasesim/model"
	"github.com/leasesim/leasesim/result"
	"github.com/leasesim/leasesim/scenarios"
	"github.com/leasesim/leasesim/sim"
)

// Options tune how runs are checked and what they keep.
type Options struct {
	// PorcupineTimeout bounds each porcupine check (wall clock); 0 is unlimited. A
	// timeout makes the verdict "unknown".
	PorcupineTimeout time.Duration
	// Trace, when set, receives the run's readable transcript (single runs only).
	Trace io.Writer
	// recoversWithin is the liveness bound of the scenario being run (RunSeed sets it).
	recoversWithin time.Duration
	// RecordMessages records messages and clocks into the history (sim.Config's), for
	// the space-time diagrams of run --out and failure bundles.
	RecordMessages bool
}

// Run is one seed of one scenario, run and checked.
type Run struct {
	Result  result.RunResult
	History *history.History
	Check   checker.Result
	// Elapsed is the wall-clock time the run and its check took (JUnit testcase times).
	Elapsed time.Duration
}

// RunSeed runs one seed of a scenario and checks it. A panic anywhere in building,
// running or checking the seed is caught and returned as an *InternalError (with a nil
// Run); other errors are bad input.
func RunSeed(sc *scenarios.Scenario, seed uint64, opt Options) (run *Run, err error) {
	defer recoverRun(sc.Name, seed, &err) // run stays nil: a panic skips the return
	start := time.Now()
	cfg, err := sc.Config(seed)
	if err != nil {
		return nil, err
	}
	cfg.Trace = opt.Trace
	cfg.RecordMessages = opt.RecordMessages
	h, err := sim.Run(cfg)
	if err != nil {
		return nil, fmt.Errorf("%s seed %d: %w", sc.Name, seed, err)
	}
	opt.recoversWithin = sc.Expect.RecoversWithin
	res := Check(h, opt)
	return &Run{History: h, Check: res, Result: result.RunResult{
		Scenario: sc.Name, Protocol: sc.Protocol, Mutant: sc.Mutant, Seed: seed,
		Verdict: res.Verdict, Findings: res.Findings, Metrics: res.Metrics,
		TraceHash: h.Meta.TraceHash, Params: h.Meta.Params,
	}, Elapsed: time.Since(start)}, nil
}

// Check checks a history with the P3 model of its protocol, if the protocol has one, and
// — for a run of RunSeed whose scenario has a fault-free tail — its liveness.
func Check(h *history.History, opt Options) checker.Result {
	copt := checker.Options{PorcupineTimeout: opt.PorcupineTimeout, RecoversWithin: opt.recoversWithin}
	if p, ok := model.Lookup(h.Meta.Protocol); ok && p.OpModel != nil {
		m := p.OpModel()
		copt.OpModel = &m
		if p.PendingOpsInvisible {
			h = withoutPendingOps(h)
		}
	}
	return checker.Check(h, copt)
}

// withoutPendingOps returns h with the client operations that never returned left out
// (a shallow copy; h is not changed).
func withoutPendingOps(h *history.History) *history.History {
	c := *h
	c.Ops = nil
	for _, op := range h.Ops {
		if op.Return != history.Forever {
			c.Ops = append(c.Ops, op)
		}
	}
	return &c
}
