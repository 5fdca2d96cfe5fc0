package reports

import (
	"bytes"
	"strings"
	"testing"
)

// The live section shows belief overlaps as amber chips with their widths, judged
// findings as red ones, and inlines the timeline of a trial with only belief overlaps.
func TestWriteHTMLLiveTrials(t *testing.T) {
	svg := []byte(`<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text x="1" y="9">amber</text></svg>`)
	r := Report{Title: "live", Live: []LiveTrial{
		{Scenario: "live-etcd", Trial: 0, Seed: 1, Verdict: "ok", TimelineSVG: svg,
			Belief: []LiveWindow{{Holders: "A,B", At: "3.441s", Width: "1.56s", Detail: "A (2) and B (3) both claimed leader"}}},
		{Scenario: "live-etcd", Trial: 1, Seed: 2, Verdict: "violated", Failure: true,
			Judged: []LiveWindow{{Holders: "C,A", At: "4.546s", Width: "1s", Detail: "the resource accepted 2 writes of C"}}},
	}}
	var b bytes.Buffer
	if err := WriteHTML(&b, r); err != nil {
		t.Fatal(err)
	}
	s := b.String()
	for _, want := range []string{
		"<h2>Live trials</h2>",
		`<span class="chip expected" title="A (2) and B (3) both claimed leader">A,B: 1.56s from 3.441s</span>`,
		`<span class="chip bad">C,A at 4.546s</span> the resource accepted 2 writes of C`,
		`<td class="bad">violated</td>`, "(timeline under Failures)",
		`<details><summary>live-etcd trial 0, seed 1:`, `<text x="1" y="9">amber</text>`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Count(s, "<svg") != 1 {
		t.Errorf("%d inline timelines, want 1 (the failed trial's is under Failures)", strings.Count(s, "<svg"))
	}
	if strings.Contains(s, "<h2>Failures</h2>") {
		t.Error("belief overlaps listed as failures")
	}
}
