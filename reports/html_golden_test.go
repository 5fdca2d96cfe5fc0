package reports

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"
)

// TestWriteHTMLGolden pins the report's page around its figures: the suite table, the
// failure sections with their inlined timeline and links. Sweep plots are left out of
// the golden (their coordinates are gonum's, per architecture); TestWriteHTML covers
// them.
func TestWriteHTMLGolden(t *testing.T) {
	timeline := []byte(`<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text x="1" y="9">A &amp; B overlap</text></svg>
`)
	r := Report{
		Title:   "nightly <suite>",
		Sources: []string{"shard-0", "shard-1"},
		// The third scenario did not run (bad input): its error and unknown counts show.
		Suite: threeScenarios(),
		Failures: []FailureSection{{
			Scenario: "no-guard", Seed: 3,
			Findings:    []string{"p1 A,B 24s–40s: A and B both claim leader", `p2 "B" wrote epoch 1 after 2`},
			Replay:      "leasesim replay failures/no-guard-3",
			TimelineSVG: timeline,
			Links: []Link{{Name: "history.jsonl", Href: "../failures/no-guard-3/history.jsonl"},
				{Name: "porcupine-p1.html", Href: "../failures/no-guard-3/porcupine-p1.html?x=1&y=2"}},
		}},
	}
	var b bytes.Buffer
	if err := WriteHTML(&b, r); err != nil {
		t.Fatal(err)
	}
	golden(t, "report.html", b.Bytes())

	// The same report twice is the same bytes.
	var again bytes.Buffer
	if err := WriteHTML(&again, r); err != nil || !bytes.Equal(again.Bytes(), b.Bytes()) {
		t.Error("WriteHTML is not deterministic")
	}
	// The inlined timeline is well-formed XML inside the page, without its declaration.
	s := b.String()
	start, end := strings.Index(s, "<svg"), strings.Index(s, "</svg>")
	if start < 0 || end < start {
		t.Fatal("no inline timeline")
	}
	if err := xml.Unmarshal([]byte(s[start:end+len("</svg>")]), new(struct{})); err != nil {
		t.Errorf("inline timeline is not well-formed: %v", err)
	}
	for _, bad := range []string{"<?xml", "<script", `src="http`, `href="http`, "url(http", "@import"} {
		if strings.Contains(s, bad) {
			t.Errorf("the page has %q: an XML declaration, a script or something fetched", bad)
		}
	}
	// Text from results is escaped; the unmet scenario is marked; the scenario that did
	// not run shows its error, and no count of its seeds or violations.
	for _, want := range []string{"nightly &lt;suite&gt;", "&#34;B&#34; wrote epoch", "x=1&amp;y=2", `<tr class="unmet"><td>no-guard</td>`,
		`<tr class="unmet"><td>broken</td><td>lease</td><td>unknown</td><td>unknown</td>`,
		"error: broken.yaml:4:3: params.lease: expected a duration", "3 scenarios, 1 with every expectation met, 1 not met, 1 with an error."} {
		if !strings.Contains(s, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}
