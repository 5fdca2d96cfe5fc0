package reports

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/history"
)

// liveTrial is a live history: A leads, B takes over at 4s while A still believes until
// 5.5s, and one write of A lands at 7s after B's (unfenced).
func liveTrial() (*history.History, []checker.Finding) {
	h := &history.History{
		Meta: history.Meta{Scenario: "live-etcd", Protocol: "etcd-live", Live: true, Seed: 7, End: 10 * sec, Holders: []string{"A", "B"}},
		Claims: []history.Claim{
			{Holder: "A", Lease: history.LeaderLease, Epoch: 1, From: 0, To: 5500 * sec / 1000},
			{Holder: "B", Lease: history.LeaderLease, Epoch: 2, From: 4 * sec, To: 10 * sec, End: history.EndRunEnd},
		},
		Writes: []history.Write{
			{Writer: "A", Epoch: 1, At: 1 * sec, Sent: 1 * sec, Accepted: true},
			{Writer: "B", Epoch: 2, At: 6 * sec, Sent: 6 * sec, Accepted: true},
			{Writer: "A", Epoch: 1, At: 7 * sec, Sent: 7 * sec, Accepted: true},
		},
	}
	res := checker.Check(h, checker.Options{SkipPorcupine: true})
	return h, res.Findings
}

// belief is the predicate live.IsBeliefOverlap plays in the product.
func belief(f checker.Finding) bool { return f.Kind == checker.P1 }

func rowNamed(rows []timelineRow, label string) (timelineRow, bool) {
	for _, r := range rows {
		if r.label == label {
			return r, true
		}
	}
	return timelineRow{}, false
}

// A live run's belief overlaps are an amber row of their own, labelled with their
// widths; its judged findings stay red, a single stale write a marker.
func TestLiveTimelineRows(t *testing.T) {
	h, findings := liveTrial()
	if len(findings) != 2 {
		t.Fatalf("the checker found %+v; want one P1 and one P2", findings)
	}
	rows := timelineRows(h, findings, TimelineOptions{Liveness: true, Expected: belief}, h.Meta.Start, h.Meta.End)
	b, ok := rowNamed(rows, liveBeliefRow)
	if !ok || len(b.bars) != 1 || b.bars[0].fill != beliefAmber || b.bars[0].label != "1.5s" ||
		b.bars[0].from != 4*sec || b.bars[0].to != 5500*sec/1000 {
		t.Errorf("belief row %+v; want one amber bar 4s–5.5s labelled 1.5s", b)
	}
	f, ok := rowNamed(rows, liveFindingsRow)
	if !ok || len(f.bars) != 0 || len(f.markers) != 1 || f.markers[0].at != 7*sec || f.markers[0].fill != findingRed {
		t.Errorf("findings row %+v; want only a red marker at 7s", f)
	}
	if _, ok := rowNamed(rows, history.LivenessLease("A")); ok {
		t.Error("empty liveness rows drawn for a live run")
	}
	// Without Expected every finding is judged: nothing is amber.
	rows = timelineRows(h, findings, TimelineOptions{}, h.Meta.Start, h.Meta.End)
	if _, ok := rowNamed(rows, liveBeliefRow); ok {
		t.Error("a belief row without TimelineOptions.Expected")
	}
	if f, _ := rowNamed(rows, liveFindingsRow); len(f.bars) != 1 || len(f.markers) != 1 {
		t.Errorf("findings row without Expected: %+v", f)
	}
	var txt bytes.Buffer
	if err := WriteTimelineText(&txt, h, findings, TimelineOptions{Expected: belief}, 100); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{liveBeliefRow + " " + strings.Repeat(".", 40) + strings.Repeat("?", 15), liveFindingsRow} {
		if !strings.Contains(txt.String(), want) {
			t.Errorf("text timeline lacks %q:\n%s", want, txt.String())
		}
	}
}

// redPolygon matches the closed paths the SVG fills in findingRed.
var redPolygon = regexp.MustCompile(`<path d="(M[^"]*Z)" style="fill:#` + "D62728" + `"`)

// The stale write is drawn several points wide, not as a hairline; title and axis name
// the same clock, and neither says "wall-clock" or "true time".
func TestLiveTimelineSVG(t *testing.T) {
	h, findings := liveTrial()
	var b bytes.Buffer
	if err := WriteTimelineSVG(&b, h, findings, TimelineOptions{Liveness: true, Expected: belief}); err != nil {
		t.Fatal(err)
	}
	s := b.String()
	widest := 0.0
	for _, m := range redPolygon.FindAllStringSubmatch(s, -1) {
		lo, hi := 1e9, -1e9
		for _, pt := range regexp.MustCompile(`[ML]([0-9.]+),`).FindAllStringSubmatch(m[1], -1) {
			x, _ := strconv.ParseFloat(pt[1], 64)
			lo, hi = min(lo, x), max(hi, x)
		}
		widest = max(widest, hi-lo)
	}
	if widest < 6 {
		t.Errorf("the stale write's mark is %.2fpt wide; want a marker of several points", widest)
	}
	if hexOf(beliefAmber) == hexOf(findingRed) || !strings.Contains(s, "fill:#"+hexOf(beliefAmber)) {
		t.Error("no amber belief overlap in the SVG")
	}
	p, err := Timeline(h, findings, TimelineOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(p.Title.Text, liveClock) || !strings.Contains(p.X.Label.Text, liveClock) {
		t.Errorf("title %q and axis %q do not name the same clock %q", p.Title.Text, p.X.Label.Text, liveClock)
	}
	for _, bad := range []string{"wall-clock", "true time"} {
		if strings.Contains(p.Title.Text+p.X.Label.Text, bad) {
			t.Errorf("title %q / axis %q say %q", p.Title.Text, p.X.Label.Text, bad)
		}
	}
}
