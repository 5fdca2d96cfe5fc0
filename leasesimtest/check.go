package leasesimtest

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/explore"
	"github.com/leasesim/leasesim/internal/runner"
	"github.com/leasesim/leasesim/model"
	"github.com/leasesim/leasesim/result"
	"github.com/leasesim/leasesim/scenarios"
)

// Failure is one seed of one scenario that did not meet the scenario's expectations.
type Failure struct {
	Scenario string
	Seed     uint64
	// Message says what went wrong, in words: the unmet expectations and the findings.
	Message string
	// Kinds are the properties the run violated ("p1", "liveness", …).
	Kinds []string
	// Bundle is the directory of the failure bundle ("" if none was written).
	Bundle string
	// Minimal is the shrunk scenario's file text, with Shrink.
	Minimal []byte
}

// Report is what Check found.
type Report struct {
	// Runs counts the seeds run; Skipped lists the scenarios left out and why.
	Runs    int
	Skipped []string
	// Failures are the failing seeds, in scenario and seed order.
	Failures []Failure
	// Undecided are the expectations judged over a scenario's seeds (violated, a rate)
	// that the seeds that ran could not decide, in words; they are not failures.
	Undecided []string
}

// Failed reports whether any seed failed.
func (r *Report) Failed() bool { return len(r.Failures) > 0 }

// Kinds returns the properties violated by any failing seed, sorted and without
// duplicates.
func (r *Report) Kinds() []string {
	seen := map[string]bool{}
	var out []string
	for _, f := range r.Failures {
		for _, k := range f.Kinds {
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	sortStrings(out)
	return out
}

// Check runs protocol p through the scenarios the options select, one seed after the
// other, and returns what it found; err is bad input (a pattern matching nothing, a
// scenario that does not fit p, a second protocol registered under p's name). Run is
// the *testing.T form.
func Check(p *model.Protocol, opts ...Option) (*Report, error) {
	c := configure(opts)
	if c.out == "" {
		c.out = defaultOut("Check-" + p.Name)
	}
	entries, err := prepare(p, c)
	if err != nil {
		return nil, err
	}
	rep := &Report{}
	for _, e := range entries {
		if e.skip != "" {
			rep.Skipped = append(rep.Skipped, e.skip)
			continue
		}
		var outcomes []result.SeedOutcome
		for _, seed := range e.sc.SeedList() {
			rep.Runs++
			f, o, err := checkSeed(e, seed, c, "")
			if err != nil {
				return rep, err
			}
			if f != nil {
				rep.Failures = append(rep.Failures, *f)
			}
			if o != nil {
				outcomes = append(outcomes, *o)
			}
		}
		if judgedOverSeeds(e.sc) {
			failed, open := checkOverSeeds(e, outcomes)
			for _, m := range failed {
				rep.Failures = append(rep.Failures, Failure{Scenario: e.sc.Name, Message: m})
			}
			rep.Undecided = append(rep.Undecided, open...)
		}
	}
	return rep, nil
}

func configure(opts []Option) *config {
	c := &config{}
	for _, o := range opts {
		o(c)
	}
	return c
}

var registerMu sync.Mutex

// register registers p unless it already is; a different protocol under p's name is an
// error.
func register(p *model.Protocol) error {
	registerMu.Lock()
	defer registerMu.Unlock()
	if q, ok := model.Lookup(p.Name); ok {
		if q != p {
			return fmt.Errorf("leasesimtest: another protocol is registered as %q; give yours a name of its own, or pass the registered *model.Protocol", p.Name)
		}
		return nil
	}
	if p.Build == nil {
		return fmt.Errorf("leasesimtest: protocol %q has no Build function", p.Name)
	}
	model.Register(p)
	return nil
}

func prepare(p *model.Protocol, c *config) ([]entry, error) {
	if p == nil || p.Name == "" {
		return nil, errors.New("leasesimtest: the protocol needs a Name")
	}
	if err := register(p); err != nil {
		return nil, err
	}
	if len(c.catalog)+len(c.files) == 0 && c.random == 0 {
		return nil, errors.New("leasesimtest: no scenarios: give Catalog, Files or Random")
	}
	return plan(p, c)
}

// checkSeed runs one seed of e and evaluates the scenario's expectations on it with
// runner.Summarize, as `leasesim suite` does. Expectations that a property is violated
// need some seed of the scenario to violate it, and a rate is a claim about all its
// seeds, which one seed cannot show: they are left to checkOverSeeds. It returns a Failure (with its bundle written) or nil, and the
// seed's outcome (nil when the run did not finish); err is a scenario that could not run.
func checkSeed(e entry, seed uint64, c *config, replay string) (*Failure, *result.SeedOutcome, error) {
	opt := runner.Options{PorcupineTimeout: time.Minute}
	var run *runner.Run
	var err error
	if c.determinism {
		run, err = runner.RunSeedTwice(e.sc, seed, opt)
	} else {
		run, err = runner.RunSeed(e.sc, seed, opt)
	}
	var nd *runner.NondeterminismError
	var ie *runner.InternalError
	switch {
	case errors.As(err, &nd):
		return &Failure{Scenario: e.sc.Name, Seed: seed, Kinds: []string{"determinism"},
			Message: fmt.Sprintf("%s seed %d is not deterministic: %v", e.sc.Name, seed, nd)}, nil, nil
	case errors.As(err, &ie):
		return &Failure{Scenario: e.sc.Name, Seed: seed, Kinds: []string{"panic"},
			Message: fmt.Sprintf("%s seed %d panicked: %s\n%s", e.sc.Name, seed, ie.Value, ie.Stack)}, nil, nil
	case err != nil:
		return nil, nil, err
	}
	outcome := result.OutcomeOf(run.Result)
	res := runner.Summarize(e.sc, e.file, []*runner.Run{run})
	var unmet []result.Expectation
	for _, x := range res.Expectations {
		if x.Met || overSeeds(e.sc, x.Key) || x.Undecided == result.UndecidedSeeds {
			continue
		}
		unmet = append(unmet, x)
	}
	if len(unmet) == 0 {
		return nil, &outcome, nil
	}
	f := &Failure{Scenario: e.sc.Name, Seed: seed, Kinds: kinds(run)}
	f.Message = describe(e, seed, run, unmet)
	if c.shrink && len(f.Kinds) > 0 {
		f.Minimal = shrink(e.sc, seed, f.Kinds)
	}
	dir, err := writeBundle(c.out, e, seed, run, f, replay)
	if err != nil {
		f.Message += fmt.Sprintf("\n(the failure bundle could not be written: %v)", err)
	} else {
		f.Bundle = dir
	}
	return f, &outcome, nil
}

// overSeeds says whether the scenario's expectation on key is judged over all its
// seeds together (violated, or a rate), not seed by seed.
func overSeeds(sc *scenarios.Scenario, key string) bool {
	_, rated := sc.Expect.Rates[key]
	return rated || sc.Expect.Properties[key] == result.PropViolated
}

// judgedOverSeeds says whether the scenario has an expectation judged over all its
// seeds together (overSeeds).
func judgedOverSeeds(sc *scenarios.Scenario) bool {
	for _, k := range result.Properties {
		if overSeeds(sc, k) {
			return true
		}
	}
	return false
}

// checkOverSeeds evaluates the scenario's expectations that are judged over all its
// seeds (violated, rates) on the outcomes of the seeds that ran, as `leasesim suite`
// does (the same result evaluation, with the scenario's seed count as the planned
// one): failed are those not met, open those the seeds that ran cannot decide (fewer
// than the scenario's under -short, a rate whose interval straddles its bound).
func checkOverSeeds(e entry, outcomes []result.SeedOutcome) (failed, open []string) {
	for _, x := range e.sc.Expect.EvaluateSeeds(outcomes, e.sc.Seeds.Count) {
		if x.Met || !overSeeds(e.sc, x.Key) {
			continue
		}
		over := "over its seeds"
		if x.Want == result.PropViolated {
			over = "in some seed"
		}
		msg := fmt.Sprintf("%s: expected %s %s %s, got %s", e.sc.Name, x.Key, x.Want, over, x.Got)
		if x.Undecided != "" {
			open = append(open, "undecided: "+msg)
		} else {
			failed = append(failed, msg)
		}
	}
	return failed, open
}

func kinds(run *runner.Run) []string {
	seen := map[string]bool{}
	var out []string
	for _, f := range run.Check.Findings {
		if k := string(f.Kind); !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	sortStrings(out)
	return out
}

// describe says in words what went wrong in one seed.
func describe(e entry, seed uint64, run *runner.Run, unmet []result.Expectation) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s seed %d (protocol %s, from %s):\n", e.sc.Name, seed, e.sc.Protocol, e.file)
	for _, x := range unmet {
		fmt.Fprintf(&b, "  expected %s %s, got %s\n", x.Key, x.Want, x.Got)
	}
	for i, f := range run.Check.Findings {
		if i == 5 {
			fmt.Fprintf(&b, "  … and %d more findings\n", len(run.Check.Findings)-i)
			break
		}
		fmt.Fprintf(&b, "  %s: %s\n", f.Kind, f.Detail)
	}
	return strings.TrimRight(b.String(), "\n")
}

// shrink shrinks a failing scenario with explore's rapid shrinker to a smaller one whose
// seed still shows one of kinds, and returns its text (nil when nothing smaller fails).
func shrink(sc *scenarios.Scenario, seed uint64, kinds []string) []byte {
	shows := func(r *runner.Run) bool {
		return slices.ContainsFunc(r.Check.Findings, func(f checker.Finding) bool { return slices.Contains(kinds, string(f.Kind)) })
	}
	m, _, err := explore.Shrink(sc, seed, shows, explore.ShrinkOptions{})
	if err != nil || m == nil {
		return nil
	}
	m.Description = fmt.Sprintf("Minimal scenario shrunk by leasesimtest from %s seed %d: it still shows %s.", sc.File, seed, strings.Join(kinds, ", "))
	return m.Marshal()
}
