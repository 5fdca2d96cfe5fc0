package reports

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/leasesim/leasesim/results"
)

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	Error     *junitFailure `xml:"error,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Body    string `xml:",chardata"`
}

// WriteJUnit writes the suite as JUnit XML: one testcase per scenario, classname the
// protocol. A failing scenario's failure names the unmet expectations, the seed that
// reproduces it and the command that replays it; a scenario that could not run is an
// error.
func WriteJUnit(w io.Writer, name string, results []results.ScenarioResult, elapsed map[string]time.Duration) error {
	s := junitSuite{Name: name}
	for _, r := range results {
		c := junitCase{Name: r.Scenario, Classname: "leasesim." + r.Protocol,
			Time: fmt.Sprintf("%.3f", elapsed[r.Scenario].Seconds())}
		var out strings.Builder
		fmt.Fprintf(&out, "file: %s\nseeds: %d\n", r.File, r.Seeds)
		for _, e := range r.Expectations {
			fmt.Fprintf(&out, "expect %s: %s, got %s (%s)\n", e.Key, e.Want, e.Got, metWord(e.Met))
		}
		c.SystemOut = out.String()
		switch {
		case r.Error != "":
			s.Errors++
			c.Error = &junitFailure{Message: r.Error, Type: "bad-input", Body: r.Error}
		case !r.Met:
			s.Failures++
			var msg []string
			for _, e := range r.Expectations {
				if !e.Met {
					msg = append(msg, fmt.Sprintf("expect %s: %s, got %s", e.Key, e.Want, e.Got))
				}
			}
			body := strings.Join(msg, "\n")
			if r.FailingSeed != nil {
				msg = append(msg, fmt.Sprintf("seed %d", *r.FailingSeed))
				body += fmt.Sprintf("\nseed: %d", *r.FailingSeed)
			}
			if r.Reproduce != "" {
				body += "\nreproduce: " + r.Reproduce
			}
			c.Failure = &junitFailure{Message: strings.Join(msg, "; "), Type: "expectation", Body: body}
		}
		s.Tests++
		s.Cases = append(s.Cases, c)
	}
	doc := junitSuites{Name: name, Tests: s.Tests, Failures: s.Failures, Errors: s.Errors, Suites: []junitSuite{s}}
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

func metWord(met bool) string {
	if met {
		return "met"
	}
	return "NOT MET"
}

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }
