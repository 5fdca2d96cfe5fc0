package explore

import (
	"bytes"
	"fmt"
	"maps"
	"runtime"
	"slices"
	"time"

	"pgregory.net/rapid"

	"github.com/leasesim/leasesim/internal/runner"
	"github.com/leasesim/leasesim/result"
	"github.com/leasesim/leasesim/scenarios"
)

// Options tune a search.
type Options struct {
	// Budget is how many schedules to try before giving up; 0 means no maximum, for a
	// search that Stop ends (explore --for without --budget).
	Budget int
	// Seed is the seed of the search itself: the same seed explores the same schedules.
	Seed uint64
	// ShrinkTime bounds shrinking (wall clock).
	ShrinkTime time.Duration
	// Swarm makes every schedule draw its own mix first, by the rule a swarm entry's
	// seed follows (`explore --swarm`; scenarios.Bounds.Swarm): which fault kinds are
	// on, their lengths' factors and the network's delay scale, as if every random
	// entry had swarm: true. A scenario with a swarm entry explores this way without it.
	Swarm bool
	// OnSchedule, when set, is called as each new schedule starts (shrinking runs are
	// not schedules), and OnFound once, when the first schedule fails and shrinking
	// starts.
	OnSchedule, OnFound func()
	// Stop, when set, is called before each new schedule would start (not before
	// shrinking runs): when it reports true, no further schedule starts and Search
	// returns what it explored, with BudgetSpent set. explore --for passes a wall-clock
	// budget's Spent (internal/budget); the schedules tried are then the first Explored
	// of the search seed, the same ones --budget Explored tries.
	Stop func() bool
}

// unboundedChecks is rapid's check count when the search has no maximum: a search that
// ran this long (2^40 schedules) would have been stopped by its budget long before.
const unboundedChecks = 1 << 40

// porcupineTimeout bounds each run's P3 check during the search.
const porcupineTimeout = 10 * time.Second

// Summary is what a search found: the object `explore --json` prints and summary.json
// holds. Minimal and Reproduce are the command's to fill in, once it has written the
// minimal scenario.
type Summary struct {
	Scenario        string   `json:"scenario"`
	Budget          int      `json:"budget"`
	Explored        int      `json:"explored"`
	Found           bool     `json:"found"`
	Kinds           []string `json:"kinds,omitempty"`
	FaultsBefore    int      `json:"faults_before"`
	FaultsAfter     int      `json:"faults_after"`
	DurationBefore  string   `json:"duration_before,omitempty"`
	DurationAfter   string   `json:"duration_after,omitempty"`
	ShrinkRuns      int      `json:"shrink_runs,omitempty"`
	Minimal         string   `json:"minimal,omitempty"`
	Reproduce       string   `json:"reproduce,omitempty"`
	FirstFindingMsg string   `json:"finding,omitempty"`
	// ForNs and For are the wall-clock budget (explore --for) in nanoseconds and as
	// written; BudgetSpent says it ran out before a finding (schedules 1..Explored of the
	// search seed ran), and Seed is the search seed.
	ForNs       int64  `json:"for_ns,omitempty"`
	For         string `json:"for,omitempty"`
	BudgetSpent bool   `json:"budget_spent,omitempty"`
	Seed        uint64 `json:"seed"`
	// Swarm describes the swarm mix the first failing schedule drew (a swarm search
	// only): the kinds on, each with its lengths' factor, the kinds off, the fault
	// count's factor and the network's delay scale: "on partition (lengths × 1.41),
	// pause (lengths × 0.71); off crash, cut; faults × 1.00 (each kind on at 2× its
	// fixed-mix rate); network delays × 2.30".
	Swarm string `json:"swarm,omitempty"`
}

// Search runs rapid over generated variants of sc. When a variant fails, it returns the
// minimal failing scenario (named NAME-minimal, expecting the properties it violates;
// its description is the caller's to write) and its run; otherwise both are nil. The first failing variant is the one found; the
// last is rapid's minimal one (rapid replays it last). A run that cannot be built or
// that panicked ends the search with its error (a *runner.InternalError for a panic).
func Search(sc *scenarios.Scenario, opt Options) (Summary, *scenarios.Scenario, *runner.Run, error) {
	sum := Summary{Scenario: sc.Name, Budget: opt.Budget, Seed: opt.Seed}
	checks := opt.Budget
	if checks <= 0 {
		checks = unboundedChecks
	}
	rapidMu.Lock()
	defer rapidMu.Unlock()
	if err := initRapid(checks, opt.Seed, opt.ShrinkTime); err != nil {
		return sum, nil, nil, err
	}
	bounds := scenarios.BoundsFrom(sc)
	bounds.Swarm = bounds.Swarm || opt.Swarm
	var (
		first, last *scenarios.Scenario
		lastRun     *runner.Run
		harnessErr  error
	)
	check(func(t *rapid.T) {
		if first == nil && opt.Stop != nil && opt.Stop() {
			sum.BudgetSpent = true
			runtime.Goexit() // ends check's goroutine, and with it rapid's loop
		}
		g, mix := scenarios.GenerateMix(t, sc, bounds)
		if first == nil {
			sum.Explored++
			if opt.OnSchedule != nil {
				opt.OnSchedule()
			}
		} else {
			sum.ShrinkRuns++
		}
		run, err := runner.RunSeed(g, g.Seeds.From, runner.Options{PorcupineTimeout: porcupineTimeout})
		if err != nil {
			harnessErr = err
			t.Fatalf("harness error: %v", err)
		}
		if len(run.Check.Findings) == 0 {
			return
		}
		if first == nil {
			first = g
			if opt.OnFound != nil {
				opt.OnFound()
			}
			sum.FirstFindingMsg = run.Check.Findings[0].Detail
			sum.Swarm = mix
		}
		last, lastRun = g, run
		t.Fatalf("%s: %s", run.Check.Findings[0].Kind, run.Check.Findings[0].Detail)
	})
	if harnessErr != nil {
		return sum, nil, nil, harnessErr
	}
	if last == nil {
		return sum, nil, nil, nil
	}
	minimal := minimize(sc, first, last, lastRun, &sum)
	return sum, minimal, lastRun, nil
}

// check runs rapid.Check over prop on a goroutine of its own and waits for it to end,
// so that prop can end the whole search early with runtime.Goexit (as testing's
// FailNow does): rapid has no way to stop its loop of checks from inside a property
// without counting the stop as a failure (which it would then shrink) or as an invalid
// case (which it would retry up to ten times the check count).
func check(prop func(*rapid.T)) {
	done := make(chan struct{})
	var panicked any
	go func() {
		defer close(done)
		defer func() { panicked = recover() }() // nil after a Goexit
		rapid.Check(&quietTB{}, prop)
	}()
	<-done
	if panicked != nil {
		panic(panicked) // a bug outside the property: the caller's to report
	}
}

// minimize turns rapid's last failing variant into the minimal scenario and completes
// the summary.
func minimize(sc, first, last *scenarios.Scenario, lastRun *runner.Run, sum *Summary) *scenarios.Scenario {
	minimal := expectingFindings(last, lastRun, sc.Name+"-minimal")
	sum.Kinds = slices.Sorted(maps.Keys(minimal.Expect.Properties))
	sum.Found = true
	sum.FaultsBefore, sum.FaultsAfter = len(first.Faults), len(minimal.Faults)
	sum.DurationBefore, sum.DurationAfter = first.Duration.String(), minimal.Duration.String()
	sum.FirstFindingMsg = lastRun.Check.Findings[0].Detail
	return minimal
}

// expectingFindings is a copy of sc named name whose expect section says that the
// properties run violates are violated (its liveness bound kept, nothing else).
func expectingFindings(sc *scenarios.Scenario, run *runner.Run, name string) *scenarios.Scenario {
	out := *sc
	out.Name = name
	out.Expect = result.Expect{Properties: map[string]string{}, RecoversWithin: sc.Expect.RecoversWithin}
	for _, f := range run.Check.Findings {
		out.Expect.Properties[string(f.Kind)] = result.PropViolated
	}
	return &out
}

// Replay runs the minimal scenario again from its first seed, with its transcript and its
// messages recorded (for the run directory's space-time diagram), and checks that it
// reproduces found's trace: a different trace is a determinism bug.
func Replay(minimal *scenarios.Scenario, found *runner.Run) (*runner.Run, []byte, error) {
	var transcript bytes.Buffer
	rerun, err := runner.RunSeed(minimal, minimal.Seeds.From, runner.Options{Trace: &transcript, RecordMessages: true})
	if err != nil {
		return nil, nil, err
	}
	if rerun.Result.TraceHash != found.Result.TraceHash {
		return nil, nil, fmt.Errorf("explore: the minimal scenario did not replay to the same trace (%s vs %s): a determinism bug", rerun.Result.TraceHash, found.Result.TraceHash)
	}
	return rerun, transcript.Bytes(), nil
}
