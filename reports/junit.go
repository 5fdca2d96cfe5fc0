package reports

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/leasesim/leasesim/result"
)

// The JUnit XML that CI servers read (Jenkins' junit plugin, GitLab's test reports,
// GitHub test-report actions): testsuites > testsuite > testcase, as in the schema
// Jenkins validates against (reports/testdata/jenkins-junit.xsd checks it in the tests).
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Time     string       `xml:"time,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name      string      `xml:"name,attr"`
	Tests     int         `xml:"tests,attr"`
	Failures  int         `xml:"failures,attr"`
	Errors    int         `xml:"errors,attr"`
	Skipped   int         `xml:"skipped,attr,omitempty"`
	Time      string      `xml:"time,attr"`
	Timestamp string      `xml:"timestamp,attr"`
	Cases     []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Skipped   *string       `xml:"skipped,omitempty"`
	Error     *junitFailure `xml:"error,omitempty"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Body    string `xml:",chardata"`
}

// JUnitSuite is what a JUnit report says about one suite run.
type JUnitSuite struct {
	// Name names the suite ("leasesim suite").
	Name string
	// Started is when the suite started (the testsuite's timestamp, written in UTC).
	Started time.Time
	// Elapsed is the suite's wall-clock time (the testsuite's time).
	Elapsed time.Duration
	// Results are the scenarios, one testcase each.
	Results []result.ScenarioResult
	// CaseTime is each scenario's own time: the time its seeds took to run and check,
	// summed over its seeds. With several workers the scenarios run side by side, so the
	// testcases' times add up to more than the suite's.
	CaseTime map[string]time.Duration
}

// junitTimestamp is the testsuite timestamp format of the JUnit schema: ISO 8601
// without a time zone (the time is UTC).
const junitTimestamp = "2006-01-02T15:04:05"

// WriteJUnit writes the suite as JUnit XML: one testcase per scenario, classname the
// protocol, time the scenario's own. A failing scenario's failure names each unmet
// expectation with the seed that shows it (a seed that violated, was undecided or was
// the worst; none when a wanted violation never happened) and the command that replays
// it; a scenario that could not run is an error; an undecided one (result.Undecided)
// is skipped, saying what would decide it. Every testcase's system-out gives the
// violation rate of each property with its bounds (RateLines).
func WriteJUnit(w io.Writer, s JUnitSuite) error {
	suite := junitSuite{Name: s.Name, Time: seconds(s.Elapsed), Timestamp: s.Started.UTC().Format(junitTimestamp)}
	for _, r := range s.Results {
		c := junitCase{Name: r.Scenario, Classname: "leasesim." + r.Protocol, Time: seconds(s.CaseTime[r.Scenario])}
		var out strings.Builder
		fmt.Fprintf(&out, "file: %s\nseeds: %d\n", r.File, r.Seeds)
		if b := BudgetText(r); b != "" {
			fmt.Fprintln(&out, b)
		}
		for _, e := range r.Expectations {
			fmt.Fprintf(&out, "expect %s: %s, got %s (%s)\n", e.Key, e.Want, e.Got, metWord(e))
		}
		for _, l := range RateLines(r) {
			fmt.Fprintf(&out, "rate: %s\n", l)
		}
		c.SystemOut = out.String()
		switch {
		case r.Error != "":
			suite.Errors++
			c.Error = &junitFailure{Message: r.Error, Type: "bad-input", Body: r.Error}
		case result.Undecided(r):
			suite.Skipped++
			var why []string
			for _, e := range r.Expectations {
				if !e.Met {
					why = append(why, fmt.Sprintf("undecided: expect %s: %s, got %s", e.Key, e.Want, e.Got))
				}
			}
			text := strings.Join(why, "\n")
			c.Skipped = &text
		case !r.Met:
			suite.Failures++
			c.Failure = junitFailureOf(r)
		}
		suite.Tests++
		suite.Cases = append(suite.Cases, c)
	}
	doc := junitSuites{Name: s.Name, Time: suite.Time, Tests: suite.Tests, Failures: suite.Failures,
		Errors: suite.Errors, Suites: []junitSuite{suite}}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	b.WriteByte('\n')
	_, err := w.Write(b.Bytes())
	return err
}

// junitFailureOf is the JUnit failure of a scenario whose expectations were not all met.
func junitFailureOf(r result.ScenarioResult) *junitFailure {
	var msg, body []string
	for _, e := range r.Expectations {
		if e.Met {
			continue
		}
		line := fmt.Sprintf("expect %s: %s, got %s", e.Key, e.Want, e.Got)
		if e.Undecided == result.UndecidedSeeds {
			// Not a failure of its own, and no seed shows it: the scenario fails on another.
			line += " (undecided)"
		} else if why, ok := seedShows(r, e); ok {
			line += " (" + why + ")"
		}
		msg = append(msg, line)
		body = append(body, line)
	}
	if r.FailingSeed != nil {
		body = append(body, fmt.Sprintf("replay seed: %d (%s)", *r.FailingSeed, seedRole(r, *r.FailingSeed)))
	}
	if r.Reproduce != "" {
		body = append(body, "reproduce: "+r.Reproduce)
	}
	return &junitFailure{Message: strings.Join(msg, "; "), Type: "expectation", Body: strings.Join(body, "\n")}
}

// junitProperties are the expectation keys that are properties (the others are bounds).
var junitProperties = []string{"p1", "p2", "p3", "p4"}

// seedShows says which seed shows that the unmet expectation e failed — "seed 3
// violated p1", "seed 4 undecided", "worst: seed 9" — and false when no seed does: a
// wanted violation that no seed showed fails on all seeds together.
func seedShows(r result.ScenarioResult, e result.Expectation) (string, bool) {
	if !slices.Contains(junitProperties, e.Key) {
		if e.Got == "no seeds" {
			return "", false
		}
		return fmt.Sprintf("worst: seed %d", e.Seed), true
	}
	switch {
	case e.Want == "violated":
		return "", false
	case r.Violations[e.Key] > 0:
		return fmt.Sprintf("seed %d violated %s", e.Seed, e.Key), true
	case r.Unknown > 0:
		return fmt.Sprintf("seed %d undecided", e.Seed), true
	}
	return "", false
}

// seedRole says what the replay seed shows: the first unmet expectation it is the seed
// of, or, for a wanted violation that never happened, that the property held on it.
func seedRole(r result.ScenarioResult, seed uint64) string {
	for _, e := range r.Expectations {
		if e.Met || e.Seed != seed {
			continue
		}
		if why, ok := seedShows(r, e); ok {
			return why
		}
		if e.Want == "violated" {
			return e.Key + " held on it, as on every seed"
		}
	}
	return "the first unmet expectation"
}

// seconds is a JUnit time: seconds with millisecond precision.
func seconds(d time.Duration) string {
	return fmt.Sprintf("%.3f", d.Seconds())
}

func metWord(e result.Expectation) string {
	switch {
	case e.Met:
		return "met"
	case e.Undecided != "":
		return "undecided"
	}
	return "NOT MET"
}

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }
