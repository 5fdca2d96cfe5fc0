package reports

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/leasesim/leasesim/result"
)

// threeScenarios is a suite with one scenario met, one not met with a seed to replay and
// one that could not run.
func threeScenarios() []result.ScenarioResult {
	seed := uint64(3)
	return []result.ScenarioResult{
		{Scenario: "lease-cut", File: "catalog/lease-cut.yaml", Protocol: "lease", Seeds: 100, Met: true,
			Violations: map[string]int{}, UnavailableP50: 0.0123, UnavailableP99: 0.0456, MaxGapMaxNs: 622_400_000,
			Expectations: []result.Expectation{{Key: "p1", Want: "holds", Got: "held on 100 seeds", Met: true},
				{Key: "max_gap", Want: "<= 1s", Got: "622ms", Seed: 17, Met: true}},
			Rates: rates(100, map[string]int{}, 0, time.Minute)},
		{Scenario: "no-guard", File: "catalog/no-guard.yaml", Protocol: "lease", Mutant: "no-guard", Seeds: 20,
			Violations: map[string]int{"p1": 20, "p2": 0}, Unknown: 1, UnavailableP50: 0.5, UnavailableP99: 1,
			MaxGapMaxNs: 90 * sec,
			Expectations: []result.Expectation{{Key: "p1", Want: "holds", Got: "violated by 20/20 seeds", Seed: 3},
				{Key: "unavailable_fraction", Want: "<= 0.02", Got: "1", Seed: 9}},
			FailingSeed: &seed, Reproduce: "leasesim run catalog/no-guard.yaml --seed 3",
			Rates: rates(20, map[string]int{"p1": 20}, 1, 0)},
		{Scenario: "broken", File: "broken.yaml", Protocol: "lease", Error: "broken.yaml:4:3: params.lease: expected a duration"},
	}
}

// rates are the rates of p1..p4 over n seeds, unknown of them undecided, violations of
// them violating (all decided), with each run lasting d (0: not known).
func rates(n int, violations map[string]int, unknown int, d time.Duration) map[string]result.Rate {
	out := map[string]result.Rate{}
	for _, p := range []string{"p1", "p2", "p3", "p4"} {
		decided := n - unknown
		if violations[p] > 0 {
			decided = n
		}
		out[p] = result.RateOf(violations[p], decided, result.DefaultConfidence, float64(decided)*d.Hours())
	}
	return out
}

// suiteOf wraps results in a JUnitSuite that started at a fixed time and took 22s.
func suiteOf(results []result.ScenarioResult, caseTime map[string]time.Duration) JUnitSuite {
	return JUnitSuite{Name: "leasesim suite", Started: time.Date(2026, 3, 4, 5, 6, 7, 0, time.FixedZone("CET", 3600)),
		Elapsed: 22*time.Second + 250*time.Millisecond, Results: results, CaseTime: caseTime}
}

func TestWriteJUnit(t *testing.T) {
	var b bytes.Buffer
	caseTime := map[string]time.Duration{"lease-cut": 1500 * time.Millisecond, "no-guard": 20 * time.Second}
	if err := WriteJUnit(&b, suiteOf(threeScenarios(), caseTime)); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(b.String(), xml.Header) {
		t.Error("no XML header")
	}
	var doc struct {
		Tests    int    `xml:"tests,attr"`
		Failures int    `xml:"failures,attr"`
		Errors   int    `xml:"errors,attr"`
		Time     string `xml:"time,attr"`
		Suites   []struct {
			Name      string `xml:"name,attr"`
			Time      string `xml:"time,attr"`
			Timestamp string `xml:"timestamp,attr"`
			Cases     []struct {
				Name      string `xml:"name,attr"`
				Classname string `xml:"classname,attr"`
				Time      string `xml:"time,attr"`
				Failure   *struct {
					Message string `xml:"message,attr"`
					Type    string `xml:"type,attr"`
					Body    string `xml:",chardata"`
				} `xml:"failure"`
				Error *struct {
					Message string `xml:"message,attr"`
				} `xml:"error"`
				Out string `xml:"system-out"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatalf("not XML: %v\n%s", err, b.String())
	}
	if doc.Tests != 3 || doc.Failures != 1 || doc.Errors != 1 || len(doc.Suites) != 1 || len(doc.Suites[0].Cases) != 3 {
		t.Fatalf("tests %d failures %d errors %d: %s", doc.Tests, doc.Failures, doc.Errors, b.String())
	}
	if doc.Time != "22.250" || doc.Suites[0].Time != "22.250" || doc.Suites[0].Timestamp != "2026-03-04T04:06:07" {
		t.Errorf("suite time %q / %q, timestamp %q: want 22.250 and the start in UTC", doc.Time, doc.Suites[0].Time, doc.Suites[0].Timestamp)
	}
	met, unmet, bad := doc.Suites[0].Cases[0], doc.Suites[0].Cases[1], doc.Suites[0].Cases[2]
	if met.Name != "lease-cut" || met.Classname != "leasesim.lease" || met.Time != "1.500" || met.Failure != nil || met.Error != nil {
		t.Errorf("met case: %+v", met)
	}
	if unmet.Time != "20.000" || bad.Time != "0.000" {
		t.Errorf("own times: unmet %s, bad %s; want 20.000 and 0.000", unmet.Time, bad.Time)
	}
	if !strings.Contains(met.Out, "expect max_gap: <= 1s, got 622ms (met)") {
		t.Errorf("system-out of the met case: %q", met.Out)
	}
	if unmet.Failure == nil || unmet.Error != nil {
		t.Fatalf("unmet case: %+v", unmet)
	}
	for _, want := range []string{"expect p1: holds, got violated by 20/20 seeds (seed 3 violated p1)", "expect unavailable_fraction: <= 0.02, got 1 (worst: seed 9)"} {
		if !strings.Contains(unmet.Failure.Message, want) {
			t.Errorf("failure message %q lacks %q", unmet.Failure.Message, want)
		}
	}
	for _, want := range []string{"replay seed: 3 (seed 3 violated p1)", "reproduce: leasesim run catalog/no-guard.yaml --seed 3"} {
		if !strings.Contains(unmet.Failure.Body, want) {
			t.Errorf("failure body lacks %q: %q", want, unmet.Failure.Body)
		}
	}
	if bad.Error == nil || !strings.Contains(bad.Error.Message, "broken.yaml:4:3") || bad.Failure != nil {
		t.Errorf("bad-input case: %+v", bad)
	}
}

// TestJUnitValidatesAgainstJenkinsSchema checks the XML against the schema Jenkins and
// GitLab read, and what the schema leaves as strings: times are non-negative decimals,
// the timestamp is ISO 8601 without a zone, the counts add up.
func TestJUnitValidatesAgainstJenkinsSchema(t *testing.T) {
	decl := loadXSD(t, "testdata/jenkins-junit.xsd")
	for _, tc := range []struct {
		name    string
		results []result.ScenarioResult
	}{
		{"three scenarios", threeScenarios()},
		{"empty suite", nil},
		{"wanted violation missing", []result.ScenarioResult{wantedViolationMissing()}},
		{"undecided beside a failure", append(threeScenarios(), undecidedScenario())},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteJUnit(&b, suiteOf(tc.results, map[string]time.Duration{"lease-cut": time.Second})); err != nil {
				t.Fatal(err)
			}
			root, err := parseXMLTree(b.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			if root.Name != "testsuites" {
				t.Fatalf("root <%s>", root.Name)
			}
			for _, err := range validate(decl, root, "") {
				t.Error(err)
			}
			checkJUnitValues(t, root)
		})
	}
}

// checkJUnitValues checks the attribute values CI servers parse.
func checkJUnitValues(t *testing.T, n *xmlNode) {
	t.Helper()
	attr := func(name string) (string, bool) {
		for _, a := range n.Attrs {
			if a.Name.Local == name {
				return a.Value, true
			}
		}
		return "", false
	}
	switch n.Name {
	case "testsuite":
		if _, ok := attr("time"); !ok {
			t.Error("testsuite without time")
		}
		ts, ok := attr("timestamp")
		if _, err := time.Parse("2006-01-02T15:04:05", ts); !ok || err != nil {
			t.Errorf("testsuite timestamp %q: want ISO 8601 without a zone", ts)
		}
		tests, _ := attr("tests")
		if want := fmt.Sprint(len(n.Children)); tests != want {
			t.Errorf("testsuite tests=%q, %s testcases", tests, want)
		}
	case "testcase":
		if _, ok := attr("time"); !ok {
			t.Error("testcase without time")
		}
	}
	if v, ok := attr("time"); ok {
		if f, err := strconv.ParseFloat(v, 64); err != nil || f < 0 {
			t.Errorf("<%s time=%q>: want non-negative seconds", n.Name, v)
		}
	}
	for _, c := range n.Children {
		checkJUnitValues(t, c)
	}
}

// wantedViolationMissing is a scenario that expects p1 violated, and no seed violated
// it: the runner names the first seed as the one that replays the property holding.
func wantedViolationMissing() result.ScenarioResult {
	seed := uint64(1)
	return result.ScenarioResult{Scenario: "mutant-x", File: "catalog/mutant-x.yaml", Protocol: "lease", Seeds: 5,
		Violations:   map[string]int{"p1": 0},
		Expectations: []result.Expectation{{Key: "p1", Want: "violated", Got: "violated by 0/5 seeds", Seed: 1}},
		FailingSeed:  &seed, Reproduce: "leasesim replay results/failures/mutant-x"}
}

// undecidedRateNextToFailure fails on p4 while its rate expectation on p1 is undecided
// (violating seeds, but no seed to name): as suite records it.
func undecidedRateNextToFailure() result.ScenarioResult {
	seed := uint64(1)
	return result.ScenarioResult{Scenario: "mid", Protocol: "heartbeat", Seeds: 20,
		Violations: map[string]int{"p1": 16, "p4": 20},
		Expectations: []result.Expectation{
			{Key: "p1", Want: "rate <= 75% at 95%", Got: "16 of 20 seeds: p1 80% per run, ≥ 60% and ≤ 93% at 95%; about 217 seeds in all would decide it at the observed rate", Undecided: result.UndecidedSeeds},
			{Key: "p4", Want: "holds", Got: "violated by 20/20 seeds", Seed: 1}},
		FailingSeed: &seed}
}

// TestJUnitFailureNamesSeedsThatFailed: a failure message names a seed only where that
// seed shows the failure.
func TestJUnitFailureNamesSeedsThatFailed(t *testing.T) {
	undecided := result.ScenarioResult{Scenario: "u", Protocol: "etcd", Seeds: 4, Unknown: 1, Violations: map[string]int{},
		Expectations: []result.Expectation{{Key: "p3", Want: "holds", Got: "violated by 0/4 seeds, 1 undecided", Seed: 4}}}
	noSeeds := result.ScenarioResult{Scenario: "n", Protocol: "lease", Violations: map[string]int{},
		Expectations: []result.Expectation{{Key: "max_gap", Want: "<= 1s", Got: "no seeds"}}}
	for _, tc := range []struct {
		name                string
		r                   result.ScenarioResult
		message, body, lack string
	}{
		{"wanted violation missing", wantedViolationMissing(),
			"expect p1: violated, got violated by 0/5 seeds", "replay seed: 1 (p1 held on it, as on every seed)", "seed 1"},
		{"violated", threeScenarios()[1], "(seed 3 violated p1)", "replay seed: 3 (seed 3 violated p1)", "seed 9 violated"},
		{"undecided", undecided, "expect p3: holds, got violated by 0/4 seeds, 1 undecided (seed 4 undecided)", "", "violated p3"},
		{"no seeds", noSeeds, "expect max_gap: <= 1s, got no seeds", "", "seed 0"},
		{"undecided rate next to a failure", undecidedRateNextToFailure(),
			"expect p1: rate <= 75% at 95%, got 16 of 20 seeds: p1 80% per run, ≥ 60% and ≤ 93% at 95%; about 217 seeds in all would decide it at the observed rate (undecided); expect p4: holds, got violated by 20/20 seeds (seed 1 violated p4)",
			"replay seed: 1 (seed 1 violated p4)", "seed 0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := junitFailureOf(tc.r)
			if !strings.Contains(f.Message, tc.message) {
				t.Errorf("message %q lacks %q", f.Message, tc.message)
			}
			if !strings.Contains(f.Body, tc.body) {
				t.Errorf("body %q lacks %q", f.Body, tc.body)
			}
			if strings.Contains(f.Message, tc.lack) {
				t.Errorf("message %q names %q, which did not fail", f.Message, tc.lack)
			}
		})
	}
}

// TestJUnitUndecidedIsSkipped: a scenario that its seeds cannot decide is a skipped
// testcase saying what would decide it, not a failure; every testcase lists its rates.
func TestJUnitUndecidedIsSkipped(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJUnit(&b, suiteOf([]result.ScenarioResult{undecidedScenario()}, nil)); err != nil {
		t.Fatal(err)
	}
	s := b.String()
	for _, want := range []string{
		`failures="0" errors="0" skipped="1"`,
		"<skipped>undecided: expect p1: violated, got violated by 0/5 seeds; the scenario&#39;s own 100 seeds decide it",
		"rate: 0 of 5 seeds: p1 ≤ 46% per run at 95%",
		"expect p1: violated, got violated by 0/5 seeds; the scenario&#39;s own 100 seeds decide it (suite without --seeds or --for, or --seeds 100) (undecided)",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("JUnit lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "<failure") {
		t.Errorf("an undecided scenario is a failure:\n%s", s)
	}
}
