package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/leasesim/leasesim/explore"
	"github.com/leasesim/leasesim/history"
	"github.com/leasesim/leasesim/internal/budget"
	"github.com/leasesim/leasesim/internal/exit"
	"github.com/leasesim/leasesim/model"
	"github.com/leasesim/leasesim/result"
	"github.com/leasesim/leasesim/sim"
)

// fakeBudgetClock makes --for budgets read a clock that moves one second per reading
// (Start reads it once, then each seed about to start once): --for Ns lets N-1 seeds
// start, whatever the machine's speed.
func fakeBudgetClock(t *testing.T) {
	t.Helper()
	old := wallClock
	wallClock = &budget.StepClock{Start: time.Unix(0, 0), Step: time.Second}
	t.Cleanup(func() { wallClock = old })
}

// budgetScenarios writes two scenarios for the --for tests: the wrong-expectation cut
// with an expectation every seed meets, from seed 1 with 3 seeds of its own, and the
// same from seed 7.
func budgetScenarios(t *testing.T) (a, b string) {
	t.Helper()
	raw, err := os.ReadFile("testdata/wrong-expectation.yaml")
	if err != nil {
		t.Fatal(err)
	}
	text, _, _ := strings.Cut(string(raw), "expect:")
	text += "expect:\n  p2: holds\n"
	dir := t.TempDir()
	a = writeScenario(t, dir, "budget-a", strings.Replace(text, "name: wrong-expectation", "name: budget-a", 1))
	b = writeScenario(t, dir, "budget-b", strings.Replace(strings.Replace(text, "name: wrong-expectation", "name: budget-b", 1),
		"seeds: 3", "seeds: {from: 7, count: 2}", 1))
	return a, b
}

// jsonResults parses suite --json output, keyed by scenario, each with its budget
// removed (to compare with a run without one) and returned apart.
func jsonResults(t *testing.T, out string) (map[string]string, map[string]*result.SeedBudget) {
	t.Helper()
	rs, err := result.ReadJSONLines[result.ScenarioResult](strings.NewReader(out), "stdout")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	byName, budgets := map[string]string{}, map[string]*result.SeedBudget{}
	for _, r := range rs {
		budgets[r.Scenario] = r.Budget
		r.Budget = nil
		b, _ := json.Marshal(r)
		byName[r.Scenario] = string(b)
	}
	return byName, budgets
}

// TestSuiteFor: a budget that runs out mid-suite runs seeds round-robin, each scenario a
// prefix of its seeds from its first (beyond its own seed count: --for has no maximum
// without --seeds), exits by the verdicts, gives each scenario the results of a run of
// exactly those seeds, and the table, JSON, JUnit and report say which seeds ran.
func TestSuiteFor(t *testing.T) {
	a, b := budgetScenarios(t)
	fakeBudgetClock(t)
	// --for 10s: 9 seeds start, round-robin: a gets seeds 1-5, b seeds 7-10.
	code, out, errOut := leasesim(t, "suite", a, b, "--for", "10s", "--workers", "3", "--out", "", "--json")
	if code != exit.OK {
		t.Fatalf("suite --for: exit %d\n%s%s", code, out, errOut)
	}
	got, budgets := jsonResults(t, out)
	want := map[string]struct {
		file        string
		first, last uint64
	}{"budget-a": {a, 1, 5}, "budget-b": {b, 7, 10}}
	for name, w := range want {
		bg := budgets[name]
		if bg == nil || bg.FirstSeed != w.first || bg.LastSeed == nil || *bg.LastSeed != w.last || bg.StoppedBy != result.StoppedByBudget || bg.For != "10s" || bg.ForNs != 10e9 {
			t.Errorf("%s: budget %+v, want seeds %d-%d stopped by the budget", name, bg, w.first, w.last)
			continue
		}
		// The same seeds asked for with --seeds give the same result.
		n := int(w.last - w.first + 1)
		code, ref, errOut := leasesim(t, "suite", w.file, "--seeds", itoa(n), "--out", "", "--json")
		if code != exit.OK {
			t.Fatalf("suite --seeds %d: exit %d\n%s", n, code, errOut)
		}
		refs, _ := jsonResults(t, ref)
		if got[name] != refs[name] {
			t.Errorf("%s under --for differs from --seeds %d:\n%s\n%s", name, n, got[name], refs[name])
		}
	}

	// The table, the JUnit file and the report name the seeds that ran.
	fakeBudgetClock(t)
	dir := t.TempDir()
	junit := filepath.Join(dir, "junit.xml")
	code, out, errOut = leasesim(t, "suite", a, b, "--for", "10s", "--workers", "2", "--out", dir, "--junit", junit)
	if code != exit.OK {
		t.Fatalf("suite --for: exit %d\n%s%s", code, out, errOut)
	}
	lines := []string{"seeds 1–5 of budget-a ran within --for 10s (the budget ran out)", "seeds 7–10 of budget-b ran within --for 10s (the budget ran out)"}
	jb, _ := os.ReadFile(junit)
	hb, _ := os.ReadFile(filepath.Join(dir, "report.html"))
	rb, _ := os.ReadFile(filepath.Join(dir, "results.jsonl"))
	for name, text := range map[string]string{"table": out, "junit": string(jb), "report.html": string(hb)} {
		for _, l := range lines {
			if !strings.Contains(text, l) {
				t.Errorf("%s does not say %q:\n%s", name, l, text)
			}
		}
	}
	if !bytes.Contains(rb, []byte(`"budget":{"for_ns":10000000000,"for":"10s","first_seed":7,"last_seed":10,"stopped_by":"budget"}`)) {
		t.Errorf("results.jsonl does not carry budget-b's seeds:\n%s", rb)
	}
}

// TestSuiteForSeedsMaximum: with --seeds, a budget that does not run out stops each
// scenario at --seeds, and says so.
func TestSuiteForSeedsMaximum(t *testing.T) {
	a, b := budgetScenarios(t)
	fakeBudgetClock(t)
	code, out, errOut := leasesim(t, "suite", a, b, "--for", "1h", "--seeds", "2", "--out", "")
	if code != exit.OK || !strings.Contains(out, "seeds 1–2 of budget-a ran within --for 1h (all of --seeds, before the budget ran out)") ||
		!strings.Contains(out, "seeds 7–8 of budget-b ran") {
		t.Errorf("exit %d\n%s%s", code, out, errOut)
	}
}

// TestSuiteForNoSeed: a budget spent before a scenario's first seed leaves it
// undecided (exit 3), saying so, rather than met over no seeds.
func TestSuiteForNoSeed(t *testing.T) {
	a, b := budgetScenarios(t)
	fakeBudgetClock(t)
	// --for 2s: one seed starts, a's first; b gets none.
	code, out, errOut := leasesim(t, "suite", a, b, "--for", "2s", "--out", "")
	if code != exit.Undecided || !strings.Contains(out, "seeds 1–1 of budget-a ran") || !strings.Contains(out, "no seed of budget-b ran within --for 2s") ||
		!strings.Contains(errOut, "1 scenario ran no seed within --for 2s") || strings.Contains(errOut, "--timeout") {
		t.Errorf("exit %d, want %d\n%s%s", code, exit.Undecided, out, errOut)
	}
}

// TestSuiteForInterrupted: SIGINT during a budget is an interruption (exit 130), not the
// budget's normal end.
func TestSuiteForInterrupted(t *testing.T) {
	signalled.Store(false)
	dir := t.TempDir()
	sigs := writeScenario(t, dir, "b-signal", "name: b-signal\nprotocol: signaltest\nholders: 1\nduration: 1s\nseeds: 1\nparams: {sig: int}\n")
	code, out, errOut := leasesim(t, "suite", sigs, "--for", "1h", "--workers", "1", "--out", "")
	if code != exit.Interrupted {
		t.Errorf("exit %d, want %d\n%s%s", code, exit.Interrupted, out, errOut)
	}
}

// TestForFlagErrors: a --for that is zero, negative or not a duration with a unit is bad
// input naming the flag, for suite and explore; so is --for with --shard.
func TestForFlagErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"suite", "--for", "0"}, `invalid argument "0" for "--for" flag: expected a duration above zero`},
		{[]string{"suite", "--for", "-5m"}, `invalid argument "-5m" for "--for" flag: expected a duration above zero`},
		{[]string{"suite", "--for", "30"}, `invalid argument "30" for "--for" flag: expected a duration with a unit`},
		{[]string{"suite", "--for=soon"}, `invalid argument "soon" for "--for" flag: expected a duration with a unit`},
		{[]string{"explore", "lease-cut", "--for", "0s"}, `invalid argument "0s" for "--for" flag: expected a duration above zero`},
		{[]string{"explore", "lease-cut", "--for", "1x"}, `invalid argument "1x" for "--for" flag: expected a duration with a unit`},
		{[]string{"suite", "--for", "1m", "--shard", "1/2"}, "--for with --shard 1/2"},
	}
	for _, tt := range tests {
		code, _, errOut := leasesim(t, tt.args...)
		if code != exit.BadInput || !strings.Contains(errOut, tt.want) {
			t.Errorf("%v: exit %d, want %d saying %q\n%s", tt.args, code, exit.BadInput, tt.want, errOut)
		}
	}
}

// TestExploreFor: explore --for tries the first schedules of its seed until the budget
// runs out, exits 0 without a finding, and says which schedules ran and how to run them
// again; the JSON summary carries the budget.
func TestExploreFor(t *testing.T) {
	fakeBudgetClock(t)
	code, out, errOut := leasesim(t, "explore", "lease-cut", "--for", "5s", "--seed", "2", "--out", t.TempDir())
	want := "lease-cut: no finding in schedules 1–4 of search seed 2, which ran within --for 5s (the budget ran out); --budget 4 --seed 2 tries the same ones"
	if code != exit.OK || !strings.Contains(out, want) {
		t.Errorf("exit %d, want 0 and %q\n%s%s", code, want, out, errOut)
	}
	fakeBudgetClock(t)
	code, out, _ = leasesim(t, "explore", "lease-cut", "--for", "5s", "--seed", "2", "--out", t.TempDir(), "--json")
	var sum explore.Summary
	if err := json.Unmarshal([]byte(out), &sum); err != nil || code != exit.OK {
		t.Fatalf("exit %d, %v\n%s", code, err, out)
	}
	if sum.Explored != 4 || !sum.BudgetSpent || sum.For != "5s" || sum.ForNs != 5e9 || sum.Budget != 0 || sum.Seed != 2 {
		t.Errorf("summary %+v, want 4 schedules, the budget spent, no --budget maximum", sum)
	}
	// --budget is the maximum under --for.
	fakeBudgetClock(t)
	code, out, _ = leasesim(t, "explore", "lease-cut", "--for", "1h", "--budget", "3", "--out", t.TempDir())
	if code != exit.OK || !strings.Contains(out, "no finding in schedules 1–3 of search seed 1, which ran within --for 1h (all of --budget") {
		t.Errorf("explore --for 1h --budget 3: exit %d\n%s", code, out)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// signalleader is a test-only protocol for explore: its one holder leads for the whole
// run (so that no schedule has a finding, liveness included) and sends this process
// SIGINT once, as a user's Ctrl-C.
func init() {
	model.Register(&model.Protocol{Name: "signalleader", Doc: "a holder leads throughout and signals the process once (test only)",
		Build: func(s model.Setup) (map[string]func() sim.Node, error) {
			out := map[string]func() sim.Node{}
			for _, n := range s.Issuers {
				out[n] = func() sim.Node { return idleNode{} }
			}
			for _, n := range s.Holders {
				out[n] = func() sim.Node { return signalLeader{} }
			}
			return out, nil
		}})
}

type signalLeader struct{}

func (signalLeader) Start(env *sim.Env) {
	env.Claim(history.LeaderLease, uint64(env.ID()), sim.Mono, env.Mono()+int64(100*time.Hour))
	signalNode{syscall.SIGINT}.Start(env)
}
func (signalLeader) Step(*sim.Env, sim.Message) {}

// TestExploreInterrupted: SIGINT during an explore --for search starts no new schedule
// and exits 130, not 0 as a spent budget would.
func TestExploreInterrupted(t *testing.T) {
	signalled.Store(false)
	sigs := writeScenario(t, t.TempDir(), "signal", "name: signal\nprotocol: signalleader\nholders: 1\nduration: 1s\nseeds: 1\n")
	code, out, errOut := leasesim(t, "explore", sigs, "--for", "1h", "--out", t.TempDir())
	if code != exit.Interrupted || !strings.Contains(errOut, "interrupted: no new schedule was started") || !strings.Contains(out, "signal: no finding in schedules 1–") {
		t.Errorf("exit %d, want %d\n%s%s", code, exit.Interrupted, out, errOut)
	}
}
