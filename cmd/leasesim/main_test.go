package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/reports"
)

// leasesim runs the command line in-process and returns its exit code and output.
func leasesim(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := execute(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// TestSuiteRunsTheCatalog is the README's main command: the built-in catalog with every
// expectation met, exit 0, results on disk.
func TestSuiteRunsTheCatalog(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := leasesim(t, "suite", "--out", dir, "--junit", filepath.Join(dir, "junit.xml"))
	if code != exitOK {
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
	results, err := reports.ReadJSONLines[reports.ScenarioResult](f, "results.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if len(results) < 20 {
		t.Errorf("results.jsonl has %d scenarios; the catalog has more", len(results))
	}
	for _, r := range results {
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
	if code != exitViolated {
		t.Fatalf("suite exit %d, want %d\n%s\n%s", code, exitViolated, out, errOut)
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
	bundle := filepath.Join(dir, "failures", "wrong-expectation")
	var info bundleInfo
	b, err := os.ReadFile(filepath.Join(bundle, "bundle.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &info); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"scenario.yaml", "history.jsonl"} {
		if _, err := os.Stat(filepath.Join(bundle, name)); err != nil {
			t.Errorf("bundle lacks %s: %v", name, err)
		}
	}
	code, out, _ = leasesim(t, "replay", bundle)
	if code != exitOK || !strings.Contains(out, "reproduced: seed 1, trace "+info.TraceHash) {
		t.Errorf("replay exit %d:\n%s", code, out)
	}
	// Tampering with the recorded hash makes the replay say so.
	info.TraceHash = "0000000000000000"
	b, _ = json.Marshal(info)
	os.WriteFile(filepath.Join(bundle, "bundle.json"), b, 0o644)
	if code, out, _ = leasesim(t, "replay", bundle); code != exitViolated || !strings.Contains(out, "NOT REPRODUCED") {
		t.Errorf("replay of a tampered bundle: exit %d\n%s", code, out)
	}
}

func TestBadInputNamesFileLineField(t *testing.T) {
	code, _, errOut := leasesim(t, "run", "testdata/bad-key.yaml")
	if code != exitBadInput {
		t.Fatalf("exit %d, want %d", code, exitBadInput)
	}
	want := `testdata/bad-key.yaml:5:24: faults[0].restartt: unknown key "restartt"`
	if !strings.Contains(errOut, want) {
		t.Errorf("stderr:\n%s\nwant %s", errOut, want)
	}
	for _, args := range [][]string{{"run"}, {"suite", "--shard", "3/2"}, {"run", "lease-cut", "--seed", "x"}, {"frobnicate"}, {"run", "no-such-scenario"}} {
		if code, _, _ := leasesim(t, args...); code != exitBadInput {
			t.Errorf("%v: exit %d, want %d", args, code, exitBadInput)
		}
	}
}

func TestRunJSON(t *testing.T) {
	code, out, _ := leasesim(t, "run", "heartbeat-cut", "--seed", "1", "--json")
	if code != exitViolated {
		t.Fatalf("exit %d, want %d for a violation", code, exitViolated)
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
	if code != exitOK || !strings.Contains(out, `"verdict":"ok"`) {
		t.Errorf("lease-cut: exit %d\n%s", code, out)
	}
}

// TestCheckRecordedHistory: the history `run --out` writes gets the same verdict from
// `check`, the path a real system's history takes.
func TestCheckRecordedHistory(t *testing.T) {
	dir := t.TempDir()
	if code, out, errOut := leasesim(t, "run", "heartbeat-cut", "--out", dir); code != exitViolated {
		t.Fatalf("run exit %d\n%s%s", code, out, errOut)
	}
	code, out, _ := leasesim(t, "check", filepath.Join(dir, "history.jsonl"), "--json")
	if code != exitViolated || !strings.Contains(out, `"kind":"p2"`) || !strings.Contains(out, `"kind":"p1"`) {
		t.Errorf("check exit %d:\n%s", code, out)
	}
}

// TestExplore: explore finds the no-guard mutant's violation, writes a minimal scenario
// that run reproduces, and exhausts its budget on a correct protocol.
func TestExplore(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := leasesim(t, "explore", "mutant-lease-no-guard", "--budget", "200", "--out", dir, "--json", "--shrink-time", "20s")
	if code != exitViolated {
		t.Fatalf("explore exit %d\n%s%s", code, out, errOut)
	}
	var sum exploreSummary
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatal(err)
	}
	if !sum.Found || sum.FaultsAfter > sum.FaultsBefore || len(sum.Kinds) == 0 {
		t.Errorf("summary %+v", sum)
	}
	code, out, _ = leasesim(t, "run", filepath.Join(dir, "minimal.yaml"), "--json")
	if code != exitViolated {
		t.Fatalf("the minimal scenario does not reproduce: exit %d\n%s", code, out)
	}
	for _, k := range sum.Kinds {
		if !strings.Contains(out, `"kind":"`+k+`"`) {
			t.Errorf("run of the minimal scenario lacks the %s finding:\n%s", k, out)
		}
	}
	if code, out, _ := leasesim(t, "explore", "lease-cut", "--budget", "30", "--out", t.TempDir()); code != exitOK {
		t.Errorf("explore of a correct protocol: exit %d\n%s", code, out)
	}
}

func TestList(t *testing.T) {
	code, out, _ := leasesim(t, "list")
	if code != exitOK {
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
	if code != exitOK {
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
	if code != exitViolated || !strings.Contains(out, `"kind":"p1"`) {
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
	if code != exitOK {
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
	if code, _, _ := leasesim(t, args...); code != exitOK {
		t.Fatal("rerun failed")
	}
	after, _ := os.ReadFile(filepath.Join(sweepDir, "points.jsonl"))
	if !bytes.Equal(before, after) {
		t.Error("a rerun changed points already on disk")
	}
	if code, out, _ := leasesim(t, "suite", "lease-cut", "heartbeat-cut", "--out", suiteDir); code != exitOK {
		t.Fatalf("suite exit %d\n%s", code, out)
	}
	code, out, errOut = leasesim(t, "report", suiteDir, sweepDir, "--out", repDir)
	if code != exitOK {
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

func TestExitCodes(t *testing.T) {
	for v, want := range map[checker.Verdict]int{checker.Ok: exitOK, checker.Violated: exitViolated, checker.Unknown: exitUndecided} {
		if got := exitCodeFor(v); got != want {
			t.Errorf("exitCodeFor(%s) = %d, want %d", v, got, want)
		}
	}
	results := []reports.ScenarioResult{{Met: true}, {Met: true, Unknown: 1}}
	if got := suiteExitCode(results); got != exitUndecided {
		t.Errorf("a suite whose checks could not decide exits %d, want %d", got, exitUndecided)
	}
	results = append(results, reports.ScenarioResult{Met: false})
	if got := suiteExitCode(results); got != exitViolated {
		t.Errorf("a suite with an unmet expectation exits %d, want %d", got, exitViolated)
	}
}
