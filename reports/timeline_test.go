package reports

import (
	"bytes"
	"encoding/xml"
	"flag"
	"image/png"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/history"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

const sec = int64(1e9)

// twoLeaders is a hand-made history: B leads, a cut, A leads while B still claims
// (an overlap), writes from both, one rejected.
func twoLeaders() *history.History {
	return &history.History{
		Meta: history.Meta{Scenario: "two-leaders", Protocol: "heartbeat", Seed: 7, Start: 0, End: 60 * sec,
			Holders: []string{"A", "B", "C"}, Issuers: []string{"Q"}, Resource: "R"},
		Claims: []history.Claim{
			{Holder: "B", Lease: "leader", Epoch: 1, From: 1 * sec, To: 40 * sec, End: history.EndRelease},
			{Holder: "A", Lease: "leader", Epoch: 2, From: 24 * sec, To: 60 * sec, End: history.EndRunEnd},
			{Holder: "A", Lease: "live/A", Epoch: 1, From: 0, To: 60 * sec, End: history.EndRunEnd},
		},
		Writes: []history.Write{
			{Writer: "B", Epoch: 1, Sent: 10 * sec, At: 10 * sec, Accepted: true},
			{Writer: "A", Epoch: 2, Sent: 30 * sec, At: 30 * sec, Accepted: true},
			{Writer: "B", Epoch: 1, Sent: 31 * sec, At: 31 * sec, Accepted: false},
		},
		Faults: []history.Fault{{Kind: "cut", Nodes: []string{"Q", "B"}, From: 20 * sec, To: 40 * sec}},
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := "testdata/" + name
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -update writes it)", err)
	}
	if !bytes.Equal(want, got) {
		t.Errorf("%s differs (go test -update to accept):\n%s", path, got)
	}
}

func TestTimelineText(t *testing.T) {
	h := twoLeaders()
	res := checker.Check(h, checker.Options{})
	var b bytes.Buffer
	if err := WriteTimelineText(&b, h, res.Findings, TimelineOptions{Liveness: true}, 60); err != nil {
		t.Fatal(err)
	}
	golden(t, "two-leaders.timeline.txt", b.Bytes())
	// The overlap of A and B is marked in its own row, from 24s to 40s.
	for _, line := range strings.Split(b.String(), "\n") {
		if strings.HasPrefix(line, "P1 A B") {
			row := strings.TrimSpace(strings.TrimPrefix(line, "P1 A B"))
			if row[24] != '!' || row[39] != '!' || row[23] == '!' {
				t.Errorf("findings row does not cover [24s, 40s): %q", row)
			}
		}
	}
}

// TestTimelineSVG checks that the SVG is well-formed XML and names every row.
func TestTimelineSVG(t *testing.T) {
	h := twoLeaders()
	res := checker.Check(h, checker.Options{})
	var b bytes.Buffer
	if err := WriteTimelineSVG(&b, h, res.Findings, TimelineOptions{Liveness: true}); err != nil {
		t.Fatal(err)
	}
	d := xml.NewDecoder(bytes.NewReader(b.Bytes()))
	var text strings.Builder
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
		if cd, ok := tok.(xml.CharData); ok {
			text.Write(cd)
		}
	}
	for _, want := range []string{"A", "B", "C", "live/A", "writes to R", "faults", "unavailable", "P1 A B", "two-leaders", "seed 7"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("SVG has no text %q", want)
		}
	}
}

func TestTimelinePNG(t *testing.T) {
	var b bytes.Buffer
	if err := WriteTimeline(&b, "png", twoLeaders(), nil, TimelineOptions{From: 10 * sec, To: 30 * sec}); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&b)
	if err != nil {
		t.Fatal(err)
	}
	if img.Bounds().Dx() < 100 {
		t.Errorf("image %v", img.Bounds())
	}
}
