package explore

import (
	"fmt"
	"maps"
	"slices"
	"time"

	"pgregory.net/rapid"

	"github.com/leasesim/leasesim/internal/runner"
	"github.com/leasesim/leasesim/scenarios"
)

// ShrinkOptions tune Shrink. Zero values take the defaults.
type ShrinkOptions struct {
	// Budget is how many random reductions rapid tries to find a failing one to shrink
	// from (default 100). Most reductions keep most of the scenario, so the first
	// usually fails at once.
	Budget int
	// MaxRuns bounds the runs of the whole shrink (default 300): once they are spent,
	// every further candidate counts as passing, and the smallest failing one so far is
	// the result.
	MaxRuns int
	// ShrinkTime bounds rapid's shrinking, wall clock (default 30s).
	ShrinkTime time.Duration
	// Seed is rapid's seed (default 1): the same seed shrinks the same way.
	Seed uint64
	// PorcupineTimeout bounds each run's P3 check (default 10s).
	PorcupineTimeout time.Duration
}

func (o ShrinkOptions) withDefaults() ShrinkOptions {
	if o.Budget <= 0 {
		o.Budget = 100
	}
	if o.MaxRuns <= 0 {
		o.MaxRuns = 300
	}
	if o.ShrinkTime <= 0 {
		o.ShrinkTime = 30 * time.Second
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	if o.PorcupineTimeout <= 0 {
		o.PorcupineTimeout = porcupineTimeout
	}
	return o
}

// Shrink looks for a smaller scenario than sc whose run on seed still fails: fails says
// whether a run does. rapid draws reductions of sc — faults removed or shortened, clock
// drifts and offsets pulled to zero, the run cut short after its last fault — and
// shrinks the first failing one as Search shrinks a failing schedule. It returns the
// minimal failing reduction, named NAME-minimal, with seeds {seed, 1} and an expect
// section naming the properties its run violates (the description is the caller's), and
// that run; both are nil when no reduction smaller than sc fails. A run that cannot be
// built or that panicked ends the shrink with its error.
func Shrink(sc *scenarios.Scenario, seed uint64, fails func(*runner.Run) bool, opt ShrinkOptions) (*scenarios.Scenario, *runner.Run, error) {
	s := &shrinker{sc: sc, seed: seed, fails: fails, opt: opt.withDefaults(), seen: map[string]*runner.Run{}}
	rapidErr := withRapid(s.opt.Budget, s.opt.Seed, s.opt.ShrinkTime, func() { rapid.Check(&quietTB{}, s.check) })
	switch {
	case rapidErr != nil:
		return nil, nil, rapidErr
	case s.runErr != nil:
		return nil, nil, s.runErr
	case s.last == nil:
		return nil, nil, nil
	}
	minimal := expectingFindings(s.last, s.lastRun, sc.Name+"-minimal")
	minimal.Seeds = scenarios.Seeds{From: seed, Count: 1}
	// The text must parse back: a check of the shrinker, not of the protocol.
	if _, err := scenarios.Parse(minimal.Marshal(), minimal.Name+".yaml"); err != nil {
		return nil, nil, fmt.Errorf("explore: the shrunk scenario does not parse back: %w", err)
	}
	return minimal, s.lastRun, nil
}

// shrinker is one Shrink: the rapid property and what it found.
type shrinker struct {
	sc    *scenarios.Scenario
	seed  uint64
	fails func(*runner.Run) bool
	opt   ShrinkOptions
	// last is the last failing reduction (rapid replays the minimal one last) and
	// lastRun its run.
	last    *scenarios.Scenario
	lastRun *runner.Run
	runs    int
	runErr  error
	// seen holds each candidate's run by its text (nil: it passed): many of rapid's
	// candidates are the same scenario (a draw shrunk from 9 to 3 keeps a fault all the
	// same), and they cost no run.
	seen map[string]*runner.Run
}

// check is the property rapid checks: a reduction of sc fails it when its run on the
// seed still fails. The original scenario, a spent run budget and an error pass.
func (s *shrinker) check(t *rapid.T) {
	c, smaller := reduce(t, s.sc)
	if !smaller || s.runErr != nil {
		return
	}
	key := string(c.Marshal())
	run, ok := s.seen[key]
	if !ok {
		if s.runs >= s.opt.MaxRuns {
			return
		}
		s.runs++
		var err error
		if run, err = runner.RunSeed(c, s.seed, runner.Options{PorcupineTimeout: s.opt.PorcupineTimeout}); err != nil {
			s.runErr = err
			return
		}
		if !s.fails(run) {
			run = nil
		}
		s.seen[key] = run
	}
	if run != nil {
		s.last, s.lastRun = c, run
		t.Fatalf("still fails")
	}
}

// reduce draws a reduction of sc and says whether it is smaller than sc. Every choice
// is a draw that keeps sc's value unless it is zero: rapid draws small numbers often but
// zero rarely, so a random reduction keeps most of sc, and its shrinking, which pulls
// draws to zero, removes faults, shortens them, zeroes clock errors and cuts the run.
// Each choice draws the same values whatever the others drew, so that shrinking one
// draw does not shift what the next ones read.
func reduce(t *rapid.T, sc *scenarios.Scenario) (*scenarios.Scenario, bool) {
	out := *sc
	out.Faults = nil
	smaller := false
	for i, f := range sc.Faults {
		kept := keep(t, fmt.Sprintf("keep fault %d", i))
		length, shorter := shorten(t, f.Until-f.At, fmt.Sprintf("length of fault %d", i))
		switch {
		case !kept:
			smaller = true
			continue
		case shorter && f.Random == nil && f.Until > f.At:
			f.Until = f.At + length
			smaller = true
		}
		out.Faults = append(out.Faults, f)
	}
	out.Clocks = maps.Clone(sc.Clocks)
	for _, name := range slices.Sorted(maps.Keys(sc.Clocks)) {
		c := sc.Clocks[name]
		if !keep(t, "clock "+name) && (c.DriftPPM != 0 || c.Offset != 0) {
			c.DriftPPM, c.Offset = 0, 0
			out.Clocks[name] = c
			smaller = true
		}
	}
	end := faultsEnd(&out) + time.Second
	past, shorter := shorten(t, sc.Duration-end, "duration past the faults")
	if shorter && sc.Tail == 0 && sc.Duration > end {
		out.Duration = end + past
		smaller = true
	}
	return &out, smaller
}

// keep draws whether to keep a part of the scenario: true unless the draw is zero.
func keep(t *rapid.T, label string) bool {
	return rapid.Uint64().Draw(t, label) != 0
}

// shortenSteps draws shorten makes: each one it does not keep takes a quarter off.
const shortenSteps = 12

// shorten draws a length up to d: d less a quarter for each of shortenSteps keep draws
// that is zero (down to 3% of d), rounded to the millisecond, and whether it is shorter.
func shorten(t *rapid.T, d time.Duration, label string) (time.Duration, bool) {
	out := d
	for i := range shortenSteps {
		if !keep(t, fmt.Sprintf("%s: step %d", label, i)) {
			out -= out / 4
		}
	}
	out = max(time.Millisecond, out.Round(time.Millisecond))
	return out, out < d
}

// faultsEnd is when the last fault starts or ends.
func faultsEnd(sc *scenarios.Scenario) time.Duration {
	var end time.Duration
	for _, f := range sc.Faults {
		end = max(end, f.At, f.Until)
		if f.Random != nil {
			end = max(end, f.Random.Until)
			if f.Random.Until == 0 {
				end = sc.Duration
			}
		}
	}
	return end
}
