package reports

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"
	"time"

	"github.com/leasesim/leasesim/results"
)

// threeScenarios is a suite with one scenario met, one not met with a seed to replay and
// one that could not run.
func threeScenarios() []results.ScenarioResult {
	seed := uint64(3)
	return []results.ScenarioResult{
		{Scenario: "lease-cut", File: "catalog/lease-cut.yaml", Protocol: "lease", Seeds: 100, Met: true,
			Violations: map[string]int{}, UnavailableP50: 0.0123, UnavailableP99: 0.0456, MaxGapMaxNs: 622_400_000,
			Expectations: []results.Expectation{{Key: "p1", Want: "holds", Got: "held on 100 seeds", Met: true},
				{Key: "max_gap", Want: "<= 1s", Got: "622ms", Seed: 17, Met: true}}},
		{Scenario: "no-guard", File: "catalog/no-guard.yaml", Protocol: "lease", Mutant: "no-guard", Seeds: 20,
			Violations: map[string]int{"p1": 20, "p2": 0}, Unknown: 1, UnavailableP50: 0.5, UnavailableP99: 1,
			MaxGapMaxNs: 90 * sec,
			Expectations: []results.Expectation{{Key: "p1", Want: "holds", Got: "violated by 20/20 seeds", Seed: 3},
				{Key: "unavailable_fraction", Want: "<= 0.02", Got: "1", Seed: 9}},
			FailingSeed: &seed, Reproduce: "leasesim run catalog/no-guard.yaml --seed 3"},
		{Scenario: "broken", File: "broken.yaml", Protocol: "lease", Error: "broken.yaml:4:3: params.lease: expected a duration"},
	}
}

func TestWriteJUnit(t *testing.T) {
	var b bytes.Buffer
	elapsed := map[string]time.Duration{"lease-cut": 1500 * time.Millisecond}
	if err := WriteJUnit(&b, "leasesim suite", threeScenarios(), elapsed); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(b.String(), xml.Header) {
		t.Error("no XML header")
	}
	var doc struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Errors   int `xml:"errors,attr"`
		Suites   []struct {
			Name  string `xml:"name,attr"`
			Cases []struct {
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
	met, unmet, bad := doc.Suites[0].Cases[0], doc.Suites[0].Cases[1], doc.Suites[0].Cases[2]
	if met.Name != "lease-cut" || met.Classname != "leasesim.lease" || met.Time != "1.500" || met.Failure != nil || met.Error != nil {
		t.Errorf("met case: %+v", met)
	}
	if !strings.Contains(met.Out, "expect max_gap: <= 1s, got 622ms (met)") {
		t.Errorf("system-out of the met case: %q", met.Out)
	}
	if unmet.Failure == nil || unmet.Error != nil {
		t.Fatalf("unmet case: %+v", unmet)
	}
	for _, want := range []string{"expect p1: holds, got violated by 20/20 seeds", "expect unavailable_fraction: <= 0.02, got 1", "seed 3"} {
		if !strings.Contains(unmet.Failure.Message, want) {
			t.Errorf("failure message %q lacks %q", unmet.Failure.Message, want)
		}
	}
	if !strings.Contains(unmet.Failure.Body, "reproduce: leasesim run catalog/no-guard.yaml --seed 3") {
		t.Errorf("failure body lacks the command: %q", unmet.Failure.Body)
	}
	if bad.Error == nil || !strings.Contains(bad.Error.Message, "broken.yaml:4:3") || bad.Failure != nil {
		t.Errorf("bad-input case: %+v", bad)
	}
}
