package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/spf13/cobra"

	"github.com/leasesim/leasesim/explore"
	"github.com/leasesim/leasesim/internal/bundle"
	"github.com/leasesim/leasesim/internal/exit"
	"github.com/leasesim/leasesim/internal/outdir"
	"github.com/leasesim/leasesim/model"
	"github.com/leasesim/leasesim/result"
	"github.com/leasesim/leasesim/sim"
)

// leasesim runs the command line in-process and returns its exit code and output.
func leasesim(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Execute(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// TestSuiteRunsTheCatalog is the README's main command: the built-in catalog with every
// expectation met, exit 0, results on disk.
func TestSuiteRunsTheCatalog(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := leasesim(t, "suite", "--out", dir, "--junit", filepath.Join(dir, "junit.xml"))
	if code != exit.OK {
		t.Fatalf("suite exit %d\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(out, "0 not met") {
		t.Errorf("summary line missing:\n%s", out)
	}
	if html, err := os.ReadFile(filepath.Join(dir, "report.html")); err != nil || !strings.Contains(string(html), "lease-cut") {
		t.Errorf("suite wrote no report.html with the catalog: %v", err)
	}
	f, err := os.Open(filepath.Join(dir, "results.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rs, err := result.ReadJSONLines[result.ScenarioResult](f, "results.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) < 20 {
		t.Errorf("results.jsonl has %d scenarios; the catalog has more", len(rs))
	}
	for _, r := range rs {
		if !r.Met {
			t.Errorf("%s not met: %+v", r.Scenario, r.Expectations)
		}
	}
}

type junitSuites struct {
	Suites []struct {
		Cases []struct {
			Name    string `xml:"name,attr"`
			Failure *struct {
				Message string `xml:"message,attr"`
				Body    string `xml:",chardata"`
			} `xml:"failure"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

// TestWrongExpectation: a scenario whose expectation is wrong fails the suite (exit 1),
// the JUnit file is valid XML naming the failing seed and the reproduce command, the
// failure bundle replays to the same trace hash.
func TestWrongExpectation(t *testing.T) {
	dir := t.TempDir()
	junit := filepath.Join(dir, "junit.xml")
	code, out, errOut := leasesim(t, "suite", "testdata/wrong-expectation.yaml", "--out", dir, "--junit", junit)
	if code != exit.Violated {
		t.Fatalf("suite exit %d, want %d\n%s\n%s", code, exit.Violated, out, errOut)
	}
	raw, err := os.ReadFile(junit)
	if err != nil {
		t.Fatal(err)
	}
	var doc junitSuites
	if err := xml.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("JUnit is not valid XML: %v\n%s", err, raw)
	}
	if len(doc.Suites) != 1 || len(doc.Suites[0].Cases) != 1 || doc.Suites[0].Cases[0].Failure == nil {
		t.Fatalf("want one failing testcase:\n%s", raw)
	}
	f := doc.Suites[0].Cases[0].Failure
	if !strings.Contains(f.Body, "replay seed: 1 (p1 held on it") || !strings.Contains(f.Body, "leasesim replay") {
		t.Errorf("the failure names no replay seed or reproduce command:\n%s", f.Body)
	}
	// No seed violated p1, so the message names none as failing.
	if strings.Contains(f.Message, "seed 1") {
		t.Errorf("the failure message names seed 1, which did not fail: %s", f.Message)
	}
	bdir := filepath.Join(dir, "failures", "wrong-expectation")
	var info bundle.Info
	b, err := os.ReadFile(filepath.Join(bdir, "bundle.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &info); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"scenario.yaml", "history.jsonl"} {
		if _, err := os.Stat(filepath.Join(bdir, name)); err != nil {
			t.Errorf("bundle lacks %s: %v", name, err)
		}
	}
	// The replay reproduces the run and the failure: exit 1 naming the expectation.
	code, out, _ = leasesim(t, "replay", bdir)
	if code != exit.Violated || !strings.Contains(out, "reproduced: seed 1, trace "+info.TraceHash) ||
		!strings.Contains(out, "expectation p1 violated not met: violated by 0/1 seeds") {
		t.Errorf("replay exit %d:\n%s", code, out)
	}
	// Tampering with the recorded hash makes the replay say so.
	info.TraceHash = "0000000000000000"
	b, _ = json.Marshal(info)
	os.WriteFile(filepath.Join(bdir, "bundle.json"), b, 0o644)
	if code, out, _ = leasesim(t, "replay", bdir); code != exit.Violated || !strings.Contains(out, "NOT REPRODUCED") {
		t.Errorf("replay of a tampered bundle: exit %d\n%s", code, out)
	}
}

func TestBadInputNamesFileLineField(t *testing.T) {
	code, _, errOut := leasesim(t, "run", "testdata/bad-key.yaml")
	if code != exit.BadInput {
		t.Fatalf("exit %d, want %d", code, exit.BadInput)
	}
	want := `testdata/bad-key.yaml:5:24: faults[0].restartt: unknown key "restartt"`
	if !strings.Contains(errOut, want) {
		t.Errorf("stderr:\n%s\nwant %s", errOut, want)
	}
	for _, args := range [][]string{{"run"}, {"suite", "--shard", "3/2"}, {"run", "lease-cut", "--seed", "x"}, {"frobnicate"}, {"run", "no-such-scenario"}} {
		if code, _, _ := leasesim(t, args...); code != exit.BadInput {
			t.Errorf("%v: exit %d, want %d", args, code, exit.BadInput)
		}
	}
}

func TestRunJSON(t *testing.T) {
	code, out, _ := leasesim(t, "run", "heartbeat-cut", "--seed", "1", "--json")
	if code != exit.Violated {
		t.Fatalf("exit %d, want %d for a violation", code, exit.Violated)
	}
	var obj map[string]any
	if err := json.Unmarshal([]byte(out), &obj); err != nil {
		t.Fatalf("not one JSON object: %v\n%s", err, out)
	}
	for _, k := range []string{"scenario", "protocol", "seed", "verdict", "findings", "metrics", "trace_hash"} {
		if _, ok := obj[k]; !ok {
			t.Errorf("--json lacks %q: %s", k, out)
		}
	}
	m, _ := obj["metrics"].(map[string]any)
	for _, k := range []string{"unavailable_fraction", "unavailable_ns", "max_gap_ns", "leader_changes", "events", "messages"} {
		if _, ok := m[k]; !ok {
			t.Errorf("metrics lack %q", k)
		}
	}
	if obj["verdict"] != "violated" {
		t.Errorf("verdict %v", obj["verdict"])
	}
	findings, _ := obj["findings"].([]any)
	named := false
	for _, f := range findings {
		m, _ := f.(map[string]any)
		holders, _ := m["holders"].([]any)
		named = named || (m["kind"] == "p1" && len(holders) == 2)
	}
	if !named {
		t.Errorf("no P1 finding naming two holders: %s", out)
	}
	// The lease counterpart of the same cut.
	code, out, _ = leasesim(t, "run", "lease-cut", "--seed", "1", "--json")
	if code != exit.OK || !strings.Contains(out, `"verdict":"ok"`) {
		t.Errorf("lease-cut: exit %d\n%s", code, out)
	}
}

// TestCheckRecordedHistory: the history `run --out` writes gets the same verdict from
// `check`, the path a real system's history takes.
func TestCheckRecordedHistory(t *testing.T) {
	dir := t.TempDir()
	if code, out, errOut := leasesim(t, "run", "heartbeat-cut", "--out", dir); code != exit.Violated {
		t.Fatalf("run exit %d\n%s%s", code, out, errOut)
	}
	code, out, _ := leasesim(t, "check", filepath.Join(dir, "history.jsonl"), "--json")
	if code != exit.Violated || !strings.Contains(out, `"kind":"p2"`) || !strings.Contains(out, `"kind":"p1"`) {
		t.Errorf("check exit %d:\n%s", code, out)
	}
}

// TestExplore: explore finds the no-guard mutant's violation, writes a minimal scenario
// that run reproduces, and exhausts its budget on a correct protocol.
func TestExplore(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := leasesim(t, "explore", "mutant-lease-no-guard", "--budget", "200", "--out", dir, "--json", "--shrink-time", "20s")
	if code != exit.Violated {
		t.Fatalf("explore exit %d\n%s%s", code, out, errOut)
	}
	var sum explore.Summary
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatal(err)
	}
	if !sum.Found || sum.FaultsAfter > sum.FaultsBefore || len(sum.Kinds) == 0 {
		t.Errorf("summary %+v", sum)
	}
	code, out, _ = leasesim(t, "run", filepath.Join(dir, "minimal.yaml"), "--json")
	if code != exit.Violated {
		t.Fatalf("the minimal scenario does not reproduce: exit %d\n%s", code, out)
	}
	for _, k := range sum.Kinds {
		if !strings.Contains(out, `"kind":"`+k+`"`) {
			t.Errorf("run of the minimal scenario lacks the %s finding:\n%s", k, out)
		}
	}
	if code, out, _ := leasesim(t, "explore", "lease-cut", "--budget", "30", "--out", t.TempDir()); code != exit.OK {
		t.Errorf("explore of a correct protocol: exit %d\n%s", code, out)
	}
}

func TestList(t *testing.T) {
	code, out, _ := leasesim(t, "list")
	if code != exit.OK {
		t.Fatal(code)
	}
	sc := bufio.NewScanner(strings.NewReader(out))
	seen := map[string]bool{}
	for sc.Scan() {
		for _, w := range strings.Fields(sc.Text()) {
			seen[w] = true
		}
	}
	for _, w := range []string{"heartbeat", "lease", "fencing", "no-guard", "lease-cut", "guard"} {
		if !seen[w] {
			t.Errorf("list does not mention %s:\n%s", w, out)
		}
	}
}

// TestTune: on the drift scenario tune recommends a guard at or above the analytic bound,
// and the scenario it writes with a guard just below the bound overlaps under run.
func TestTune(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := leasesim(t, "tune", "tune-drift", "--max-drift", "200ppm", "--seeds", "10", "--leases", "2s,10s", "--out", dir, "--json")
	if code != exit.OK {
		t.Fatalf("tune exit %d\n%s%s", code, out, errOut)
	}
	var res struct {
		Recommended struct {
			Lease          string  `json:"lease"`
			Guard          string  `json:"guard"`
			GuardOverBound float64 `json:"guard_over_bound"`
			Safe           bool    `json:"safe"`
		} `json:"recommended"`
		BelowBoundFile string `json:"below_bound_file"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if res.Recommended.GuardOverBound < 1 || !res.Recommended.Safe {
		t.Errorf("recommended %+v: below the bound or unsafe", res.Recommended)
	}
	code, out, _ = leasesim(t, "run", res.BelowBoundFile, "--json")
	if code != exit.Violated || !strings.Contains(out, `"kind":"p1"`) {
		t.Errorf("run of the below-bound scenario: exit %d\n%s", code, out)
	}
}

// TestSweepAndReport: a sweep writes CSV, JSON lines, both plots and a timeline; a rerun
// resumes from disk; report merges it with a suite's results into one HTML file whose
// figures are inline.
func TestSweepAndReport(t *testing.T) {
	dir := t.TempDir()
	sweepDir, suiteDir, repDir := filepath.Join(dir, "sweep"), filepath.Join(dir, "suite"), filepath.Join(dir, "report")
	args := []string{"sweep", "sweep-lease-length", "--set", "lease=200ms,1s,5s", "--set", "renew=lease/3", "--set", "guard=lease/20", "--seeds", "4", "--out", sweepDir}
	code, out, errOut := leasesim(t, args...)
	if code != exit.OK {
		t.Fatalf("sweep exit %d\n%s%s", code, out, errOut)
	}
	for _, f := range []string{"points.jsonl", "sweep.csv", "sweep.json", "unavailability.svg", "unavailability.png", "violations.svg", "violations.png", "timeline.svg", "timeline.png"} {
		if st, err := os.Stat(filepath.Join(sweepDir, f)); err != nil || st.Size() == 0 {
			t.Errorf("sweep did not write %s: %v", f, err)
		}
	}
	csv, _ := os.ReadFile(filepath.Join(sweepDir, "sweep.csv"))
	if lines := strings.Count(string(csv), "\n"); lines != 4 {
		t.Errorf("sweep.csv has %d lines, want a header and 3 points:\n%s", lines, csv)
	}
	before, _ := os.ReadFile(filepath.Join(sweepDir, "points.jsonl"))
	if code, _, _ := leasesim(t, args...); code != exit.OK {
		t.Fatal("rerun failed")
	}
	after, _ := os.ReadFile(filepath.Join(sweepDir, "points.jsonl"))
	if !bytes.Equal(before, after) {
		t.Error("a rerun changed points already on disk")
	}
	if code, out, _ := leasesim(t, "suite", "lease-cut", "heartbeat-cut", "--out", suiteDir); code != exit.OK {
		t.Fatalf("suite exit %d\n%s", code, out)
	}
	code, out, errOut = leasesim(t, "report", suiteDir, sweepDir, "--out", repDir)
	if code != exit.OK {
		t.Fatalf("report exit %d\n%s%s", code, out, errOut)
	}
	html, err := os.ReadFile(filepath.Join(repDir, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(html)
	if strings.Count(s, "<svg") < 2 || !strings.Contains(s, "sweep-lease-length") || !strings.Contains(s, "lease-cut") || strings.Contains(s, "http://") && !strings.Contains(s, "xmlns") {
		t.Errorf("report.html lacks the plots or the scenarios")
	}
	if strings.Contains(s, "<script") || strings.Contains(s, "src=\"http") {
		t.Error("report.html fetches something or runs a script")
	}
}

// Test-only protocols: "panictest" holders panic one second into the run (a bug in a
// model); "signaltest" holders send this process a signal (SIGINT, or SIGTERM with param
// sig: term) once, the way a user's Ctrl-C arrives in the middle of a suite.
func init() {
	build := func(holder func(model.Setup) sim.Node) func(model.Setup) (map[string]func() sim.Node, error) {
		return func(s model.Setup) (map[string]func() sim.Node, error) {
			out := map[string]func() sim.Node{}
			for _, n := range s.Issuers {
				out[n] = func() sim.Node { return idleNode{} }
			}
			for _, n := range s.Holders {
				out[n] = func() sim.Node { return holder(s) }
			}
			return out, nil
		}
	}
	model.Register(&model.Protocol{Name: "panictest", Doc: "holders panic after 1s (test only)",
		Build: build(func(model.Setup) sim.Node { return panicNode{} })})
	model.Register(&model.Protocol{Name: "signaltest", Doc: "a holder signals the process once (test only)",
		Params: []model.Param{{Name: "sig", Kind: model.Enum, Values: []string{"int", "term", "never"}, Default: "int", Doc: "the signal to send"}},
		Build: build(func(s model.Setup) sim.Node {
			switch s.Params.String("sig") {
			case "int":
				return signalNode{syscall.SIGINT}
			case "term":
				return signalNode{syscall.SIGTERM}
			}
			return idleNode{}
		})})
	subcommands = append(subcommands, func() *cobra.Command {
		return &cobra.Command{Use: "test-panic", Hidden: true, RunE: func(*cobra.Command, []string) error {
			var m map[string]int
			m["x"]++
			return nil
		}}
	})
}

type idleNode struct{}

func (idleNode) Start(*sim.Env)             {}
func (idleNode) Step(*sim.Env, sim.Message) {}

type panicNode struct{}

func (panicNode) Start(env *sim.Env) { env.After(1e9, sim.Message{Type: sim.MsgUser}) }
func (panicNode) Step(*sim.Env, sim.Message) {
	var s []int
	_ = s[3] // index out of range
}

// signalled makes the signal go once per test: a second one would find the default
// action restored (the suite stops catching signals once interrupted) and end the test.
var signalled atomic.Bool

type signalNode struct{ sig syscall.Signal }

func (n signalNode) Start(*sim.Env) {
	if signalled.CompareAndSwap(false, true) {
		syscall.Kill(os.Getpid(), n.sig)
	}
}
func (signalNode) Step(*sim.Env, sim.Message) {}

// writeScenario writes a scenario file into dir and returns its path.
func writeScenario(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name+".yaml")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestSuiteSurvivesAPanic: a seed that panics is an internal error (exit 4) naming its
// scenario and seeds, with a failure bundle that replays the panic; the other
// scenarios still run and the table, results and report are written.
func TestSuiteSurvivesAPanic(t *testing.T) {
	dir := t.TempDir()
	bad := writeScenario(t, dir, "panicky", "name: panicky\nprotocol: panictest\nholders: 2\nduration: 5s\nseeds: 2\n")
	out := filepath.Join(dir, "out")
	code, stdout, stderr := leasesim(t, "suite", bad, "lease-cut", "--out", out, "--workers", "2")
	if code != exit.Internal {
		t.Fatalf("suite exit %d, want %d\n%s\n%s", code, exit.Internal, stdout, stderr)
	}
	if !strings.Contains(stdout, "lease-cut") || !strings.Contains(stdout, "panicky: internal error (please report it): seeds 1, 2 panicked: runtime error: index out of range") {
		t.Errorf("the table lacks the other scenario or the internal error:\n%s", stdout)
	}
	if !strings.Contains(stderr, "internal error: 2 runs panicked, the first: internal error: panicky seed 1") || !strings.Contains(stderr, "please report") {
		t.Errorf("stderr:\n%s", stderr)
	}
	results := readResults(t, out)
	if len(results) != 2 || results[0].Met || !results[1].Met {
		t.Fatalf("results.jsonl: %+v", results)
	}
	bdir := filepath.Join(out, "failures", "panicky")
	var info bundle.Info
	readJSON(t, filepath.Join(bdir, "bundle.json"), &info)
	if info.Reason != bundle.ReasonInternal || info.Seed != 1 || !strings.Contains(info.Panic, "index out of range") {
		t.Errorf("bundle.json %+v", info)
	}
	if b, err := os.ReadFile(filepath.Join(bdir, "panic.txt")); err != nil || !strings.Contains(string(b), "panicNode.Step") {
		t.Errorf("panic.txt lacks the stack: %v\n%s", err, b)
	}
	html, _ := os.ReadFile(filepath.Join(out, "report.html"))
	if !strings.Contains(string(html), "panicky") || !strings.Contains(string(html), "panic.txt") {
		t.Error("report.html does not show the internal error and link its stack")
	}
	code, stdout, _ = leasesim(t, "replay", bdir)
	if code != exit.Internal || !strings.Contains(stdout, "reproduced: seed 1 panics again") {
		t.Errorf("replay of the panic bundle: exit %d\n%s", code, stdout)
	}
	if code, _, stderr := leasesim(t, "run", bad); code != exit.Internal || !strings.Contains(stderr, "please report") {
		t.Errorf("run of a panicking scenario: exit %d\n%s", code, stderr)
	}
	if code, _, stderr := leasesim(t, "explore", bad, "--budget", "2", "--out", filepath.Join(dir, "explore")); code != exit.Internal || !strings.Contains(stderr, "please report") {
		t.Errorf("explore of a panicking scenario: exit %d\n%s", code, stderr)
	}
	if code, _, stderr := leasesim(t, "test-panic"); code != exit.Internal || !strings.Contains(stderr, "internal error") {
		t.Errorf("a panic in a command: exit %d\n%s", code, stderr)
	}
}

func readResults(t *testing.T, dir string) []result.ScenarioResult {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "results.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rs, err := result.ReadJSONLines[result.ScenarioResult](f, "results.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// TestSuiteOutputChecks: a reused --out gets a fresh failures/ and a report of this run
// only; a directory another leasesim process holds is refused; an unusable --out or
// --junit is bad input found before any run.
func TestSuiteOutputChecks(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	if code, stdout, _ := leasesim(t, "suite", "testdata/wrong-expectation.yaml", "--out", out); code != exit.Violated {
		t.Fatalf("first suite: exit %d\n%s", code, stdout)
	}
	if code, stdout, stderr := leasesim(t, "suite", "lease-cut", "--out", out); code != exit.OK {
		t.Fatalf("second suite: exit %d\n%s%s", code, stdout, stderr)
	}
	if entries, err := os.ReadDir(filepath.Join(out, "failures")); err != nil || len(entries) != 0 {
		t.Errorf("failures/ keeps the older run's bundles: %v %v", entries, err)
	}
	if html, _ := os.ReadFile(filepath.Join(out, "report.html")); strings.Contains(string(html), "wrong-expectation") {
		t.Error("report.html lists the older run's failure")
	}
	if _, err := os.Stat(filepath.Join(out, outdir.LockName)); err == nil {
		t.Error("the lock outlived the suite")
	}

	file := filepath.Join(dir, "file")
	os.WriteFile(file, nil, 0o644)
	locked := filepath.Join(dir, "locked")
	os.MkdirAll(locked, 0o755)
	// This process is alive, so its pid in the lock is another writer's.
	os.WriteFile(filepath.Join(locked, outdir.LockName), fmt.Appendf(nil, "%d\n", os.Getpid()), 0o644)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"suite", "lease-cut", "--out", filepath.Join(file, "sub")}, "--out " + filepath.Join(file, "sub")},
		{[]string{"suite", "lease-cut", "--out", "", "--junit", filepath.Join(file, "junit.xml")}, "--junit " + filepath.Join(file, "junit.xml")},
		{[]string{"suite", "lease-cut", "--out", "", "--junit", dir}, "is a directory"},
		{[]string{"suite", "lease-cut", "--out", locked}, "another leasesim process"},
		{[]string{"run", "lease-cut", "--out", locked}, "another leasesim process"},
		{[]string{"explore", "lease-cut", "--budget", "1", "--out", locked}, "another leasesim process"},
		{[]string{"report", out, "--out", locked}, "another leasesim process"},
	} {
		code, stdout, stderr := leasesim(t, c.args...)
		if code != exit.BadInput || !strings.Contains(stderr, c.want) || stdout != "" {
			t.Errorf("%v: exit %d, want %d with %q and no run\nstdout: %s\nstderr: %s", c.args, code, exit.BadInput, c.want, stdout, stderr)
		}
	}
}

// TestSuiteUndecidedExits3: checks that time out leave the expectations open, which is
// exit 3, not a failed expectation, in the suite and in the replay of its bundle (which
// checks with the suite's --timeout again). A 1ns porcupine timeout makes every
// porcupine check time out.
func TestSuiteUndecidedExits3(t *testing.T) {
	dir := t.TempDir()
	code, stdout, stderr := leasesim(t, "suite", "etcd-raft-leader-crash", "--seeds", "2", "--timeout", "1ns", "--out", dir)
	if code != exit.Undecided || !strings.Contains(stderr, "could not decide") {
		t.Errorf("exit %d, want %d\n%s%s", code, exit.Undecided, stdout, stderr)
	}
	code, stdout, _ = leasesim(t, "replay", filepath.Join(dir, "failures", "etcd-raft-leader-crash"))
	if code != exit.Undecided || !strings.Contains(stdout, "expectation p3 holds undecided") {
		t.Errorf("replay of the undecided bundle: exit %d, want %d\n%s", code, exit.Undecided, stdout)
	}
}

// TestSuiteInterrupted: SIGINT or SIGTERM in the middle of a suite starts no new run,
// writes the scenarios that finished and exits 130 saying so.
func TestSuiteInterrupted(t *testing.T) {
	for _, sig := range []string{"int", "term"} {
		t.Run(sig, func(t *testing.T) {
			signalled.Store(false)
			dir := t.TempDir()
			first := writeScenario(t, dir, "a-first", "name: a-first\nprotocol: signaltest\nholders: 1\nduration: 1s\nseeds: 1\nparams: {sig: never}\n")
			sigs := writeScenario(t, dir, "b-signal", "name: b-signal\nprotocol: signaltest\nholders: 1\nduration: 1s\nseeds: 1\nparams: {sig: "+sig+"}\n")
			out := filepath.Join(dir, "out")
			code, stdout, stderr := leasesim(t, "suite", first, sigs, "lease-cut", "--seeds", "200", "--workers", "1", "--out", out)
			if code != exit.Interrupted || !strings.Contains(stderr, "interrupted: no new run was started") {
				t.Fatalf("exit %d, want %d\n%s%s", code, exit.Interrupted, stdout, stderr)
			}
			results := readResults(t, out)
			if len(results) == 0 || results[0].Scenario != "a-first" || len(results) == 3 {
				t.Errorf("results.jsonl after the interrupt: %d scenarios, want a-first and not all", len(results))
			}
		})
	}
}

// TestReplayNamesTheFailedExpectation: the bundle of a failed expectation records it and
// the history digest; replay evaluates it again, names it and exits 1; a history that
// differs from the recorded one is NOT REPRODUCED even when the trace hash matches.
func TestReplayNamesTheFailedExpectation(t *testing.T) {
	dir := t.TempDir()
	// The wrong expectation's cut, bounding the gap below what the lease allows; p1:
	// violated becomes p1: holds, which every seed meets.
	raw, err := os.ReadFile("testdata/wrong-expectation.yaml")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(strings.Replace(string(raw), "p1: violated", "p1: holds", 1), `max_gap: "<= 2s"`, `max_gap: "<= 100ms"`, 1)
	file := writeScenario(t, dir, "gap", text)
	if code, stdout, _ := leasesim(t, "suite", file, "--out", dir); code != exit.Violated {
		t.Fatalf("suite exit %d\n%s", code, stdout)
	}
	bdir := filepath.Join(dir, "failures", "wrong-expectation")
	var info bundle.Info
	readJSON(t, filepath.Join(bdir, "bundle.json"), &info)
	if info.Reason != bundle.ReasonExpectation || len(info.Expectations) != 1 || info.Expectations[0].Key != "max_gap" || len(info.Digest) != 64 {
		t.Fatalf("bundle.json does not name the failed expectation and the digest: %+v", info)
	}
	code, stdout, _ := leasesim(t, "replay", bdir)
	if code != exit.Violated || !strings.Contains(stdout, "reproduced: seed ") || !strings.Contains(stdout, "expectation max_gap <= 100ms not met: ") {
		t.Errorf("replay: exit %d, want %d naming max_gap\n%s", code, exit.Violated, stdout)
	}
	if strings.Count(stdout, "\nexpectation ") != 1 {
		t.Errorf("replay names expectations the bundle was not written for:\n%s", stdout)
	}
	info.Digest = strings.Repeat("0", 64)
	b, _ := json.Marshal(info)
	os.WriteFile(filepath.Join(bdir, "bundle.json"), b, 0o644)
	code, stdout, _ = leasesim(t, "replay", bdir)
	if code != exit.Violated || !strings.Contains(stdout, "NOT REPRODUCED: history digest") {
		t.Errorf("replay with another digest: exit %d\n%s", code, stdout)
	}
}
