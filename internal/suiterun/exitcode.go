package suiterun

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/leasesim/leasesim/internal/exit"
	"github.com/leasesim/leasesim/internal/runner"
	"github.com/leasesim/leasesim/reports"
	"github.com/leasesim/leasesim/result"
)

// ExitCode says on stderr what went wrong besides the verdicts and returns the suite's
// exit code for its results rs; ie is an internal error of leasesim's own code while it
// recorded a run, interrupted whether the suite was stopped.
func (s *Suite) ExitCode(rs []result.ScenarioResult, ie *runner.InternalError, interrupted bool) int {
	stderr := s.cfg.Stderr
	code := exit.ForSuite(rs)
	if s.writeErr != nil {
		fmt.Fprintln(stderr, "leasesim: writing results:", s.writeErr)
		code = exit.Worst(code, exit.BadInput)
	}
	code = exit.Worst(code, s.internalCode(rs, ie))
	if n := noSeedRan(rs); n > 0 {
		fmt.Fprintf(stderr, "leasesim: %s ran no seed within --for %s: give a longer --for\n", reports.Count(n, "scenario"), s.forText())
	}
	if interrupted {
		fmt.Fprintf(stderr, "leasesim: interrupted: no new run was started; %d of %s finished, their results are in %s\n", len(rs), reports.Count(len(s.sources), "scenario"), orNone(s.cfg.Out))
		return exit.Interrupted
	}
	if s.cfg.Shards > 1 {
		code = s.shardExitCode(rs, code)
	}
	if code == exit.Undecided {
		seeds, checks := result.UndecidedWhy(rs)
		if checks {
			fmt.Fprintln(stderr, "leasesim: nothing failed, but some checks could not decide within --timeout; rerun with a longer --timeout (0: none)")
		}
		if seeds {
			fmt.Fprintln(stderr, "leasesim: nothing failed, but the seeds that ran cannot decide some expectations; each says how many seeds would (exit 3)")
		}
	}
	return code
}

// internalCode says on stderr what was leasesim's own fault — runs that panicked, a
// panic while recording, a seed that ran differently twice, a hole in what --for ran —
// and returns exit.Internal when something was, else exit.OK.
func (s *Suite) internalCode(rs []result.ScenarioResult, ie *runner.InternalError) int {
	code := exit.OK
	if n := s.done.Panics.Count(); n > 0 {
		fmt.Fprintf(s.cfg.Stderr, "leasesim: internal error: %s panicked, the first: %v\nleasesim: please report it with the failure bundle; the other runs went on\n", reports.Count(n, "run"), s.done.Panics.First(len(s.sources)))
		code = exit.Internal
	} else if ie != nil {
		// leasesim's own code panicked while it recorded a run.
		fmt.Fprintf(s.cfg.Stderr, "leasesim: %v (please report it)\n%s", ie, ie.Stack)
		code = exit.Internal
	}
	if s.done.Determinism != nil && !errors.Is(s.done.Determinism, context.Canceled) {
		s.reportNondeterminism()
		code = exit.Internal
	}
	for _, r := range rs {
		if r.Budget != nil && r.Budget.Discarded > 0 {
			// RunRounds never leaves a hole; one would be a bug in leasesim.
			fmt.Fprintf(s.cfg.Stderr, "leasesim: internal error (please report it): %s\n", reports.BudgetText(r))
			code = exit.Internal
		}
	}
	return code
}

// shardExitCode is the exit code of one shard (Shards > 1) whose verdicts give code: a
// scenario undecided only because the shard holds some of its seeds is left to the
// merged verdict (leasesim report) and does not make the shard exit 3.
func (s *Suite) shardExitCode(rs []result.ScenarioResult, code int) int {
	if code != exit.Undecided {
		return code
	}
	var rest []result.ScenarioResult
	left := 0
	for _, r := range rs {
		if result.UndecidedForSeeds(r) {
			left++
			continue
		}
		rest = append(rest, r)
	}
	if left > 0 {
		fmt.Fprintf(s.cfg.Stderr, "leasesim: this shard holds only some of the seeds: %s left to the merged verdict (%s on every shard's --out exits with it)\n", reports.Count(left, "scenario"), result.Command("report"))
	}
	return exit.ForSuite(rest)
}

// reportNondeterminism says what --check-determinism found and how to reproduce it.
func (s *Suite) reportNondeterminism() {
	fmt.Fprintf(s.cfg.Stderr, "leasesim: --check-determinism: %v\n", s.done.Determinism)
	var nd *runner.NondeterminismError
	if errors.As(s.done.Determinism, &nd) {
		for _, l := range s.sources {
			if l.Scenario.Name == nd.Scenario {
				fmt.Fprintf(s.cfg.Stderr, "reproduce: %s\n", result.Command("run", l.File, "--seed", strconv.FormatUint(nd.Seed, 10), "--check-determinism"))
				break
			}
		}
	}
}

// orNone is the results directory dir, or says there is none.
func orNone(dir string) string {
	if dir == "" {
		return "(no --out directory)"
	}
	return dir
}

// noSeedRan counts the scenarios that --for ran no seed of.
func noSeedRan(rs []result.ScenarioResult) int {
	n := 0
	for _, r := range rs {
		if r.RanNoSeed() {
			n++
		}
	}
	return n
}
