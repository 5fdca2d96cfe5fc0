package transcripts

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/history"
)

func TestParseTranscript(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     []line
		err      string
	}{
		{"empty", "", nil, ""},
		{"lines", "            0s  start Q\n  1.000059161s  deliver B->Q Ping seq=1\n1h2m3.000000001s  fault crash A until 1h3m0s\n",
			[]line{{0, "start Q", false}, {1000059161, "deliver B->Q Ping seq=1", false},
				{3723000000001, "fault crash A until 1h3m0s", false}}, ""},
		{"no separator", "            0s start Q\n", nil, "transcript line 1: want a time and an event"},
		{"bad time", "            0s  start Q\n         later  start A\n", nil, `transcript line 2: time "later"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseTranscript([]byte(tc.in))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want one containing %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestKindWorkloadAnchor(t *testing.T) {
	for _, tc := range []struct {
		text, kind       string
		workload, anchor bool
	}{
		{"start Q", "start", false, false},
		{"timer B->B RenewTick", "timer RenewTick", true, false},
		{"deliver Q->B Grant epoch=1 seq=5 token=1 subject=B time=5000000000", "deliver Grant", false, false},
		{"drop B->Q Request epoch=1 seq=7 (cut)", "drop Request (cut)", false, false},
		{"drop B->R Write epoch=1 (lost)", "drop Write (lost)", true, false},
		{"deliver B->R Write epoch=1", "deliver Write", true, false},
		{"deliver Q1->Q2 Raft epoch=2", "deliver Raft", true, false},
		{"drop Q1->Q3 Raft epoch=2 (cut)", "drop Raft (cut)", true, false},
		{"fault cut Q | B (leader) until 40s", "fault cut", false, true},
		{"fault cut Q | B (leader) ends", "fault cut", false, true},
		{"claim ends at deadline: B leader", "claim ends at deadline", false, true},
		{"Q: promoted B", "note promoted", false, true},
		{"Q: declared-failed B", "note declared-failed", false, true},
		{"R: write from B epoch=1 token=0 accepted=true", "note write accepted=true", true, false},
		{"R: write from B epoch=1 token=1 accepted=false", "note write accepted=false", false, true},
		{"B: paused: queued until resume", "note paused", false, false},
		{"A: restart", "note restart", false, true},
	} {
		t.Run(tc.text, func(t *testing.T) {
			l := line{text: tc.text}
			if k := kind(tc.text); k != tc.kind {
				t.Errorf("kind %q, want %q", k, tc.kind)
			}
			if w := workload(tc.text); w != tc.workload {
				t.Errorf("workload %v, want %v", w, tc.workload)
			}
			if a := anchor(l); a != tc.anchor {
				t.Errorf("anchor %v, want %v", a, tc.anchor)
			}
		})
	}
}

// TestAddedLines: claims and findings come in after the transcript's lines of their time,
// a claim's end only when the simulator does not write it.
func TestAddedLines(t *testing.T) {
	h := &history.History{Claims: []history.Claim{
		{Holder: "B", Lease: "leader", Epoch: 2, From: 20, To: 50, End: history.EndCrash},
		{Holder: "A", Lease: "leader", Epoch: 1, From: 10, To: 20, End: history.EndDeadline},
		{Holder: "C", Lease: "live/C", Epoch: 1, From: 10, To: 90, End: history.EndRunEnd},
	}}
	findings := []checker.Finding{{Kind: "p1", Lease: "leader", Holders: []string{"A", "B"}, From: 20, To: 25, Detail: "overlap"}}
	lines := []line{{0, "start A", false}, {10, "deliver Q->A Grant", false}, {20, "claim ends at deadline: A leader", false}, {50, "fault crash B", false}}
	var got []string
	for _, l := range merge(lines, added(h, findings)) {
		got = append(got, fmt.Sprintf("%d %s", l.at, l.text))
	}
	want := []string{
		"0 start A",
		"10 deliver Q->A Grant",
		"10 claim begins: A leader epoch=1, ends 20ns (deadline)",
		"10 claim begins: C live/C epoch=1, until the run ends",
		"20 claim ends at deadline: A leader",
		"20 claim begins: B leader epoch=2, ends 50ns (crash)",
		"20 finding P1 A,B on leader [20ns, 25ns): overlap",
		"50 fault crash B",
		"50 claim ends (crash): B leader epoch=2",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestEventsWindows: the first lines, a window around each anchor, the workload left out,
// and the gaps counted.
func TestEventsWindows(t *testing.T) {
	var lines []line
	for i := 0; i < 100; i++ {
		lines = append(lines, line{at: int64(i), text: fmt.Sprintf("deliver A->Q Request seq=%d", i)},
			line{at: int64(i), text: "timer A->A WriteTick"})
	}
	lines[2*60].text = "fault crash A until 70ns"
	var b bytes.Buffer
	writeEvents(&b, lines)
	got := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	want := 1 + startLines + 1 + (2*around + 1) + 1 // heading, start, gap, window, gap
	if len(got) != want {
		t.Fatalf("%d lines, want %d:\n%s", len(got), want, b.String())
	}
	for _, w := range []string{"… 37 lines", "fault crash A", "… 36 lines", "seq=57", "seq=63"} {
		if !strings.Contains(b.String(), w) {
			t.Errorf("no %q in\n%s", w, b.String())
		}
	}
	if strings.Contains(b.String(), "WriteTick") || strings.Contains(b.String(), "seq=56") || strings.Contains(b.String(), "seq=64") {
		t.Errorf("workload or lines outside the window shown:\n%s", b.String())
	}
}

// TestEventsCapped: however many anchors a run has, the excerpt stays under its limits.
func TestEventsCapped(t *testing.T) {
	var lines []line
	for i := 0; i < 10000; i++ {
		text := "deliver A->Q Request"
		if i%37 == 0 {
			text = "Q: promoted A"
		}
		if i%50 == 0 {
			text = "fault pause A until 1s"
		}
		lines = append(lines, line{at: int64(i), text: text})
	}
	var b bytes.Buffer
	writeEvents(&b, lines)
	n := strings.Count(b.String(), "\n")
	if n > maxShown+3 {
		t.Errorf("%d lines, want at most %d", n, maxShown+3)
	}
	if !strings.Contains(b.String(), "… the excerpt stops here") {
		t.Errorf("no line says the excerpt stops:\n%s", b.String())
	}
}

func TestWrap(t *testing.T) {
	for _, tc := range []struct {
		in    string
		width int
		want  []string
	}{
		{"", 10, nil},
		{"a bb ccc dddd", 6, []string{"a bb", "ccc", "dddd"}},
		{"averyveryverylongword x", 6, []string{"averyveryverylongword", "x"}},
	} {
		if got := wrap(tc.in, tc.width); fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("wrap(%q, %d) = %q, want %q", tc.in, tc.width, got, tc.want)
		}
	}
}
