package reports

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/history"
)

// tickPath matches the vertical 0.6pt strokes the timeline draws for ticks.
var tickPath = regexp.MustCompile(`<path d="M([0-9.]+),[0-9.]+L([0-9.]+),[0-9.]+" style="fill:none;stroke:#([0-9A-F]{6});stroke-width:0.6"`)

func hexOf(c color.Color) string {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	return fmt.Sprintf("%02X%02X%02X", n.R, n.G, n.B)
}

// TestTimelineSVGThinsWrites: on an hour of writes every 100ms the SVG draws a write only
// where it is at least 0.5pt from the last one drawn in its colour, yet every write lies
// within 0.5pt of a drawn mark of its colour; findings are never thinned.
func TestTimelineSVGThinsWrites(t *testing.T) {
	h := hourOfLeader()
	// Twenty instant findings 1ms apart, all within a fraction of a point.
	var findings []checker.Finding
	for i := int64(0); i < 20; i++ {
		at := 1800*sec + i*sec/1000
		findings = append(findings, checker.Finding{Kind: checker.P2, Holders: []string{"A", "B"}, From: at, To: at})
	}
	opt := TimelineOptions{Liveness: true}
	var b bytes.Buffer
	if err := WriteTimelineSVG(&b, h, findings, opt); err != nil {
		t.Fatal(err)
	}
	drawn := map[string][]float64{} // by colour, in drawing order
	for _, m := range tickPath.FindAllStringSubmatch(b.String(), -1) {
		if m[1] != m[2] {
			continue
		}
		x, _ := strconv.ParseFloat(m[1], 64)
		drawn[m[3]] = append(drawn[m[3]], x)
	}
	// Findings are markers, not thinned ticks: the first nine get a row each, the other
	// eleven share the overflow row.
	marked := 0
	for _, r := range timelineRows(h, findings, opt, h.Meta.Start, h.Meta.End) {
		if r.mark == '!' {
			marked += len(r.markers)
		}
	}
	if marked != len(findings) || len(drawn[hexOf(findingRed)])+len(drawn[hexOf(findingPale)]) != 0 {
		t.Errorf("%d findings marked, %d drawn as ticks; want all %d marked, none a tick", marked,
			len(drawn[hexOf(findingRed)])+len(drawn[hexOf(findingPale)]), len(findings))
	}

	// Where each write lands: the x transform of the plot's data canvas at the size the
	// SVG was written.
	p, err := Timeline(h, findings, opt)
	if err != nil {
		t.Fatal(err)
	}
	size := timelineSize(h, findings, opt)
	dc := draw.New(vgsvg.New(size[0], size[1]))
	da := p.DataCanvas(dc)
	xf, _ := p.Transforms(&da)

	const eps = 0.011 // the SVG rounds coordinates to 5 significant digits (0.005 at 100pt and over)
	total := 0
	for i, name := range h.Meta.Holders {
		col := hexOf(palette[i])
		xs := drawn[col]
		total += len(xs)
		for j := 1; j < len(xs); j++ {
			if d := math.Abs(xs[j] - xs[j-1]); d < 0.5-eps {
				t.Fatalf("%s: marks %d and %d drawn %.3fpt apart", name, j-1, j, d)
			}
		}
		sorted := append([]float64(nil), xs...)
		sort.Float64s(sorted)
		for _, w := range h.Writes {
			if w.Writer != name {
				continue
			}
			x := float64(xf(secs(w.At)))
			k := sort.SearchFloat64s(sorted, x)
			near := math.Inf(1)
			if k < len(sorted) {
				near = sorted[k] - x
			}
			if k > 0 {
				near = math.Min(near, x-sorted[k-1])
			}
			if near > 0.5+eps {
				t.Fatalf("write by %s at %v is %.3fpt from the nearest mark of its colour", name, secs(w.At), near)
			}
		}
	}
	if total == 0 || total > len(h.Writes)/10 {
		t.Errorf("%d write marks drawn for %d writes", total, len(h.Writes))
	}
	if b.Len() > 400_000 {
		t.Errorf("the hour's SVG is %d bytes", b.Len())
	}
}

// TestTimelineDurationAxis: the x axis is ticked and labelled as durations.
func TestTimelineDurationAxis(t *testing.T) {
	h := twoLeaders()
	p, err := Timeline(h, nil, TimelineOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := p.X.Tick.Marker.(DurationTicks); !ok {
		t.Errorf("x ticks by %T, want DurationTicks", p.X.Tick.Marker)
	}
	var b bytes.Buffer
	if err := WriteTimelineSVG(&b, h, nil, TimelineOptions{}); err != nil {
		t.Fatal(err)
	}
	text := svgText(t, b.Bytes())
	for _, want := range []string{"0s", "30s", "1m"} {
		if !strings.Contains(text, want) {
			t.Errorf("axis lacks the label %q:\n%s", want, text)
		}
	}
}

// TestTimelineWindow: From alone draws to the run's end, To alone from its start; an
// empty window is an error that names it.
func TestTimelineWindow(t *testing.T) {
	h := twoLeaders()
	h.Meta.Start = 2 * sec
	for _, c := range []struct {
		opt      TimelineOptions
		min, max float64
	}{
		{TimelineOptions{}, 2, 60},
		{TimelineOptions{From: 50 * sec}, 50, 60},
		{TimelineOptions{To: 10 * sec}, 2, 10},
		{TimelineOptions{From: 10 * sec, To: 20 * sec}, 10, 20},
	} {
		p, err := Timeline(h, nil, c.opt)
		if err != nil {
			t.Errorf("%+v: %v", c.opt, err)
			continue
		}
		if p.X.Min != c.min || p.X.Max != c.max {
			t.Errorf("%+v: x from %v to %v, want %v to %v", c.opt, p.X.Min, p.X.Max, c.min, c.max)
		}
	}
	rows, axis := textRows(t, h, nil, TimelineOptions{From: 50 * sec}, 10)
	if rows["A"] != "##########" || !strings.HasSuffix(axis, "1m0s") {
		t.Errorf("From 50s alone: A %q, axis %q", rows["A"], axis)
	}
	for _, opt := range []TimelineOptions{
		{From: 30 * sec, To: 20 * sec},
		{From: 5 * sec, To: 5 * sec},
		{From: 60 * sec}, // at the run's end, with To left to it
		{From: 90 * sec},
		{To: 1 * sec}, // before the run's start, with From left to it
	} {
		for _, format := range []string{"svg", "text"} {
			var err error
			if format == "text" {
				err = WriteTimelineText(&bytes.Buffer{}, h, nil, opt, 60)
			} else {
				err = WriteTimeline(&bytes.Buffer{}, format, h, nil, opt)
			}
			if err == nil || !strings.Contains(err.Error(), "empty timeline window") {
				t.Errorf("%s window %+v: error %v, want an empty window", format, opt, err)
			}
		}
	}
}

// TestTimelineZeroLengthRun: a run that ended where it started still gets an SVG (its
// bundle has a timeline), but no text timeline.
func TestTimelineZeroLengthRun(t *testing.T) {
	h := &history.History{Meta: history.Meta{Scenario: "empty", Holders: []string{"A"}, Start: 5 * sec, End: 5 * sec}}
	if err := WriteTimelineSVG(&bytes.Buffer{}, h, nil, TimelineOptions{}); err != nil {
		t.Errorf("SVG: %v", err)
	}
	if err := WriteTimelineText(&bytes.Buffer{}, h, nil, TimelineOptions{}, 60); err == nil {
		t.Error("text timeline of an empty run: no error")
	}
}

// TestTimelineLabelsDoNotOverprint: two faults over the same stretch share the faults
// row; their labels are written one after the other, not on top of each other.
func TestTimelineLabelsDoNotOverprint(t *testing.T) {
	h := twoLeaders()
	h.Faults = append(h.Faults, history.Fault{Kind: "slow", Nodes: []string{"Q", "B"}, From: 20 * sec, To: 40 * sec})
	var b bytes.Buffer
	if err := WriteTimelineSVG(&b, h, nil, TimelineOptions{}); err != nil {
		t.Fatal(err)
	}
	x := map[string]float64{}
	for _, m := range regexp.MustCompile(`(?s)<text x="([0-9.]+)"[^>]*>([^<]*)</text>`).FindAllStringSubmatch(b.String(), -1) {
		x[m[2]], _ = strconv.ParseFloat(m[1], 64)
	}
	cut, ok1 := x["cut Q,B"]
	slow, ok2 := x["slow Q,B"]
	if !ok1 || !ok2 || math.Abs(cut-slow) < 40 {
		t.Errorf("fault labels at x %v and %v (found %v, %v); want both, 40pt or more apart", cut, slow, ok1, ok2)
	}
}
