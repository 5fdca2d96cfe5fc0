package reports

import (
	"bytes"
	"strings"
	"testing"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/history"
)

// textRows runs WriteTimelineText and returns its rows by label, without the label.
func textRows(t *testing.T, h *history.History, findings []checker.Finding, opt TimelineOptions, width int) (map[string]string, string) {
	t.Helper()
	var b bytes.Buffer
	if err := WriteTimelineText(&b, h, findings, opt, width); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	rows := map[string]string{}
	for _, l := range lines[:len(lines)-1] {
		if len(l) < width {
			t.Fatalf("short line %q", l)
		}
		label, row := strings.TrimSpace(l[:len(l)-width]), l[len(l)-width:]
		rows[label] = row
	}
	return rows, lines[len(lines)-1]
}

// TestTimelineTextWindow zooms on the overlap of twoLeaders: 20s–44s at one column per
// second.
func TestTimelineTextWindow(t *testing.T) {
	h := twoLeaders()
	res := checker.Check(h, checker.Options{})
	rows, axis := textRows(t, h, res.Findings, TimelineOptions{From: 20 * sec, To: 44 * sec}, 24)
	for label, want := range map[string]string{
		"A":           "....####################", // from 24s to the end of the window
		"B":           "####################....", // clipped on the left, released at 40s
		"C":           "........................",
		"writes to R": "..........||............", // 30s and 31s; the 10s write is outside
		"faults":      "~~~~~~~~~~~~~~~~~~~~....", // the cut ends at 40s
		"unavailable": "........................",
		"P1 A B":      "....!!!!!!!!!!!!!!!!....", // the P1 overlap, 24s to 40s
	} {
		if rows[label] != want {
			t.Errorf("row %s:\n got %s\nwant %s", label, rows[label], want)
		}
	}
	if _, ok := rows["live/A"]; ok {
		t.Error("liveness rows drawn without TimelineOptions.Liveness")
	}
	if !strings.Contains(axis, "20s") || !strings.HasSuffix(axis, "44s") {
		t.Errorf("axis %q", axis)
	}
}

// TestTimelineTextMarksEveryFinding: each finding's start is marked in its row, whatever
// its kind, including instants and windows that never close.
func TestTimelineTextMarksEveryFinding(t *testing.T) {
	h := twoLeaders()
	findings := []checker.Finding{
		{Kind: checker.P1, Lease: "leader", Holders: []string{"A", "B"}, From: 24 * sec, To: 40 * sec},
		{Kind: checker.P2, Holders: []string{"B", "A"}, From: 31 * sec, To: 31 * sec},
		{Kind: checker.P4, Holders: []string{"C", "Q"}, From: 50 * sec, To: history.Forever},
	}
	rows, _ := textRows(t, h, findings, TimelineOptions{}, 60)
	for _, f := range findings {
		row := rows[findingLabel(f)]
		if len(row) != 60 || row[f.From/sec] != '!' {
			t.Errorf("%s at %ds not marked in row %q: %q", f.Kind, f.From/sec, findingLabel(f), row)
		}
	}
	row := rows["P4 C Q"]
	// The P4 window never closed: it runs to the end of the run, not off the page.
	if !strings.HasSuffix(row, "!!!!!!!!!!") || len(row) != 60 {
		t.Errorf("an open finding should run to the end: %q", row)
	}
}

func TestTimelineTextBadWindow(t *testing.T) {
	h := twoLeaders()
	for _, c := range []struct {
		opt   TimelineOptions
		width int
	}{
		{TimelineOptions{From: 30 * sec, To: 20 * sec}, 60},
		{TimelineOptions{From: 5 * sec, To: 5 * sec}, 60},
		{TimelineOptions{}, 9},
	} {
		if err := WriteTimelineText(&bytes.Buffer{}, h, nil, c.opt, c.width); err == nil {
			t.Errorf("window %+v width %d: no error", c.opt, c.width)
		}
	}
}
