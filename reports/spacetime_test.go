package reports

import (
	"bytes"
	"encoding/xml"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/history"
)

// delayedGrant is the story of a lease counted from the grant's arrival: B asks at 0.5s,
// Q's grant takes 3s to arrive, B's clock runs 1000 ppm fast... and Q hands the lease to
// A at 8s while B leads until 10s.
func delayedGrant(withMsgs bool) (*history.History, checker.Finding) {
	h := &history.History{
		Meta: history.Meta{Scenario: "s", Protocol: "lease", Start: 0, End: 30 * sec,
			Holders: []string{"A", "B"}, Issuers: []string{"Q"}},
		Claims: []history.Claim{
			{Holder: "B", Lease: "leader", Epoch: 1, From: sec / 10, To: 10 * sec, End: history.EndDeadline, Clock: "mono"},
			{Holder: "A", Lease: "leader", Epoch: 2, From: 8 * sec, To: 30 * sec, End: history.EndRunEnd, Clock: "mono"},
		},
		Faults:   []history.Fault{{Kind: "cut", Nodes: []string{"Q", "B"}, From: 4 * sec, To: 12 * sec, Detail: "cut Q | B"}},
		Statuses: []history.Status{{Issuer: "Q", Node: "A", Kind: history.StatusPromoted, At: 8 * sec}},
	}
	if withMsgs {
		h.Clocks = []history.ClockPiece{
			{Node: "Q", At: 0, Mono: 0, Wall: 0},
			{Node: "A", At: 0, Mono: 0, Wall: 0},
			{Node: "B", At: 0, Mono: 0, Wall: 0, DriftPPB: 1_000_000},
		}
		h.Msgs = []history.Msg{
			{From: "B", To: "Q", Kind: "Request", Sent: sec / 2, At: sec/2 + 5e6, SentClock: 500_500_000, AtClock: sec/2 + 5e6},
			{From: "Q", To: "B", Kind: "Grant", Epoch: 1, Sent: 6e8, At: 36e8, SentClock: 6e8, AtClock: 3_603_600_000},
			{From: "Q", To: "A", Kind: "Deny", Sent: 7e8, At: 71e7, SentClock: 7e8, AtClock: 71e7},
			{From: "B", To: "Q", Kind: "Request", Sent: 5 * sec, At: 5 * sec, Dropped: "cut", SentClock: 5_005_000_000, AtClock: 5 * sec},
			{From: "Q", To: "A", Kind: "Grant", Epoch: 2, Sent: 8 * sec, At: 8*sec + 5e6, SentClock: 8 * sec, AtClock: 8*sec + 5e6},
		}
		for i := 0; i < 20; i++ { // a steady stream that must be thinned
			t := sec + int64(i)*sec/20
			h.Msgs = append(h.Msgs, history.Msg{From: "A", To: "Q", Kind: "Request", Sent: t, At: t + 1e6, SentClock: t, AtClock: t + 1e6})
		}
	}
	f := checker.Finding{Kind: checker.P1, Lease: "leader", Holders: []string{"A", "B"}, From: 8 * sec, To: 10 * sec,
		Detail: "A (epoch 2) and B (epoch 1) both claimed leader for 2s from 8s"}
	return h, f
}

func TestSpacetimeSceneShowsTheCause(t *testing.T) {
	h, f := delayedGrant(true)
	if err := h.Validate(); err != nil {
		t.Fatal(err)
	}
	sc := newSpacetimeScene(h, f)
	if sc.stale != "B" || sc.other != "A" {
		t.Fatalf("stale %q other %q; want B (the older claim) and A", sc.stale, sc.other)
	}
	if sc.grant == nil || sc.grant.Kind != "Grant" || sc.grant.To != "B" {
		t.Fatalf("the grant B relied on: %+v", sc.grant)
	}
	if sc.from > sec/2 || sc.to < 10*sec || sc.to > 12*sec {
		t.Fatalf("window [%d, %d): want it to start by B's request at 0.5s and end soon after the overlap at 10s", sc.from, sc.to)
	}
	if sc.hidden == 0 {
		t.Fatal("a stream of 20 requests in 1s was drawn whole; expected it thinned")
	}
	story := strings.Join(sc.story(h), "\n")
	for _, want := range []string{
		"B claimed leader (epoch 1) at 100ms (its clock 100ms)",
		"Grant (epoch 1), the answer to its Request sent at 500ms (its clock 500ms): Q sent it at 600ms",
		"it arrived 3s later, at 3.6s (its clock 3.6s): 3000 times the run's median delay of 1ms",
		"B's claim on leader ran to its deadline: it ended at 10s (its clock 10.01s)",
		"Q last heard from B at 510ms (Request), 7.5s before 8s; B's 1 later message to Q was dropped (1 cut)",
		"Q promoted A at 8s.",
		"Over the 9.4s of true time from the grant to the end of B's claim, Q's clock advanced 9.4s and B's 9.41s: they disagree by 9.4ms.",
		"Both claimed leader for 2s, from 8s to 10s",
		"Faults in view: cut Q | B from 4s to 12s",
	} {
		if !strings.Contains(story, want) {
			t.Errorf("the narrative lacks %q:\n%s", want, story)
		}
	}
}

// svgFontSizes returns every font-size in an SVG document.
func svgFontSizes(t *testing.T, svg []byte) []int {
	var out []int
	for _, m := range regexp.MustCompile(`font-size="([0-9.]+)"`).FindAllSubmatch(svg, -1) {
		n, err := strconv.Atoi(string(m[1]))
		if err != nil {
			t.Fatalf("font-size %q", m[1])
		}
		out = append(out, n)
	}
	return out
}

func TestWriteSpacetimeSVG(t *testing.T) {
	h, f := delayedGrant(true)
	f2 := f
	f2.Kind, f2.Detail = checker.P4, "another finding"
	var b bytes.Buffer
	if err := WriteSpacetimeSVG(&b, h, []checker.Finding{f, f2}); err != nil {
		t.Fatal(err)
	}
	svg := b.Bytes()
	dec := xml.NewDecoder(bytes.NewReader(svg))
	for {
		if _, err := dec.Token(); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
	}
	if n := bytes.Count(svg, []byte(`<g transform="translate(0,`)); n != 2 {
		t.Errorf("%d finding rows; want one per finding (2)", n)
	}
	for _, sz := range svgFontSizes(t, svg) {
		if sz < 11 {
			t.Errorf("a label of %dpx; every label is at least 11px", sz)
		}
	}
	for _, want := range []string{
		`>Q</text>`, `>B</text>`, `>A</text>`, // a lane per node
		`stroke-dasharray="3,2"`,      // the dropped request
		`marker-end="url(#st-arrow)"`, // delivered messages
		`>Grant, 3s</text>`,           // the delayed grant, labelled with its delay
		`>promoted A</text>`,          // the issuer's decision
		`clock 10.01s`,                // B's clock at its deadline
		`Zoomed on the overlap`,       // 2s of overlap in a 10s window: not zoomed
	} {
		if want == `Zoomed on the overlap` {
			if bytes.Contains(svg, []byte(want)) {
				t.Errorf("a 2s overlap in a ~10s window got a zoom panel")
			}
			continue
		}
		if !bytes.Contains(svg, []byte(want)) {
			t.Errorf("the diagram lacks %s", want)
		}
	}
}

// TestSpacetimeZoomsOnANarrowFinding: an overlap of 50ms at the end of a 20s window gets
// a second panel around it.
func TestSpacetimeZoomsOnANarrowFinding(t *testing.T) {
	h, f := delayedGrant(true)
	h.Claims[0].To = 8*sec + 5e7
	f.To = 8*sec + 5e7
	var b bytes.Buffer
	if err := WriteSpacetimeSVG(&b, h, []checker.Finding{f}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b.Bytes(), []byte("Zoomed on the overlap")) {
		t.Fatal("a 50ms overlap in an 8s window has no zoom panel")
	}
}

// TestSpacetimeWithoutMessages: a history without message records (a live run, an old
// bundle) still gets its claims drawn, and the narrative says what is missing.
func TestSpacetimeWithoutMessages(t *testing.T) {
	h, f := delayedGrant(false)
	var b bytes.Buffer
	if err := WriteSpacetimeSVG(&b, h, []checker.Finding{f}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b.Bytes(), []byte("records no messages")) {
		t.Fatal("the narrative does not say that the history has no messages")
	}
	if bytes.Contains(b.Bytes(), []byte(`marker-end="url(#st-arrow)"><title>`)) {
		t.Fatal("messages drawn from a history without any")
	}
}
