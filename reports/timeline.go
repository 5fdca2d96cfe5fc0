package reports

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"sort"
	"strings"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/history"
)

// TimelineOptions choose what a timeline shows.
type TimelineOptions struct {
	// From and To bound the true-time window drawn: From 0 is the run's start
	// (Meta.Start), To 0 its end (Meta.End), so both 0 draw the whole run. A window that
	// is empty once resolved (From >= To) is an error.
	From, To int64
	// Liveness adds a row per holder for its liveness lease (live/<name>).
	Liveness bool
	// Expected, when set, picks the findings that are expected rather than judged (for a
	// live run, the belief overlaps of etcd's client: live.IsBeliefOverlap). A live
	// run's timeline draws them in amber in a row of their own, labelled with their
	// widths; see liveFindingRows.
	Expected func(checker.Finding) bool
	// Width and Height of the image; 0 picks a size from the number of rows.
	Width, Height vg.Length
}

// timelineRow is one horizontal lane of a timeline.
type timelineRow struct {
	label string
	bars  []timelineBar
	ticks []timelineTick
	// thin lets the SVG/PNG plotter skip a tick that would sit within minTickGap of the
	// previous tick drawn in the same colour: the writes row of a long run has tens of
	// thousands of ticks, most of them on top of each other at any readable width. Rows
	// whose every mark matters (findings) leave it false.
	thin bool
	// markers are drawn as diamonds several points wide, for instants that must not be
	// missed (a live run's stale writes); the text timeline marks them like ticks.
	markers []timelineTick
	// mark, when not 0, is the text timeline's character for this row's bars.
	mark byte
	// labelOutside draws a bar's label just right of the bar when it does not fit inside.
	labelOutside bool
	// note, when set, is written across the row from its left edge (the overflow row of
	// findings says there how many more there are and where they are listed).
	note string
}

type timelineBar struct {
	from, to int64
	fill     color.Color
	label    string
}

type timelineTick struct {
	at   int64
	fill color.Color
}

// palette colours holders (and epochs) distinctly; red is kept for findings.
var palette = []color.RGBA{
	{0x1f, 0x77, 0xb4, 0xff}, {0x2c, 0xa0, 0x2c, 0xff}, {0xff, 0x7f, 0x0e, 0xff}, {0x94, 0x67, 0xbd, 0xff},
	{0x8c, 0x56, 0x4b, 0xff}, {0xe3, 0x77, 0xc2, 0xff}, {0x17, 0xbe, 0xcf, 0xff}, {0xbc, 0xbd, 0x22, 0xff},
}

var (
	findingRed  = color.RGBA{0xd6, 0x27, 0x28, 0xff}
	faultGrey   = color.RGBA{0x99, 0x99, 0x99, 0xff}
	unavailGrey = color.RGBA{0x55, 0x55, 0x55, 0xff}
	rejectedRed = color.RGBA{0xd6, 0x27, 0x28, 0xff}
)

// fade returns c at 40% opacity (non-premultiplied, so the hue stays).
func fade(c color.Color) color.Color {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	n.A = 0x66
	return n
}

// timelineRows lays a history out in rows, top to bottom: one per holder (its claims on
// the measured lease, coloured per holder, labelled with the epoch), optionally one per
// liveness lease, the resource's writes (accepted ticks in the writer's colour, rejected
// ones red), the injected faults, the unavailable stretches and a row per finding in the
// window [from, to] (findingRows; a live run's: liveFindingRows).
func timelineRows(h *history.History, findings []checker.Finding, opt TimelineOptions, from, to int64) []timelineRow {
	lease := h.Meta.LeaseName()
	colour := map[string]color.Color{}
	for i, name := range h.Meta.Holders {
		colour[name] = palette[i%len(palette)]
	}
	end := func(c history.Claim) int64 {
		if c.End == history.EndRunEnd || c.To > h.Meta.End {
			return h.Meta.End
		}
		return c.To
	}
	var rows []timelineRow
	for _, name := range h.Meta.Holders {
		r := timelineRow{label: name}
		for _, c := range h.Claims {
			if c.Holder == name && c.Lease == lease {
				r.bars = append(r.bars, timelineBar{from: c.From, to: end(c), fill: colour[name], label: fmt.Sprintf("e%d", c.Epoch)})
			}
		}
		rows = append(rows, r)
	}
	if opt.Liveness {
		for _, name := range h.Meta.Holders {
			r := timelineRow{label: history.LivenessLease(name)}
			for _, c := range h.Claims {
				if c.Holder == name && c.Lease == history.LivenessLease(name) {
					r.bars = append(r.bars, timelineBar{from: c.From, to: end(c), fill: fade(colour[name])})
				}
			}
			if h.Meta.Live && len(r.bars) == 0 {
				continue // live holders (etcd's client) have no liveness lease: no empty rows
			}
			rows = append(rows, r)
		}
	}
	if len(h.Writes) > 0 {
		r := timelineRow{label: "writes to " + orDefault(h.Meta.Resource, "R"), thin: true}
		for _, w := range h.Writes {
			c := colour[w.Writer]
			if !w.Accepted {
				c = rejectedRed
			}
			r.ticks = append(r.ticks, timelineTick{at: w.At, fill: c})
		}
		rows = append(rows, r)
	}
	if len(h.Faults) > 0 {
		r := timelineRow{label: "faults"}
		for _, f := range h.Faults {
			to := f.To
			if to <= f.From {
				r.ticks = append(r.ticks, timelineTick{at: f.From, fill: faultGrey})
				continue
			}
			r.bars = append(r.bars, timelineBar{from: f.From, to: to, fill: fade(faultGrey), label: f.Kind + " " + strings.Join(f.Nodes, ",")})
		}
		rows = append(rows, r)
	}
	un := timelineRow{label: "unavailable"}
	for _, iv := range checker.Unavailability(h) {
		un.bars = append(un.bars, timelineBar{from: iv.From, to: iv.To, fill: unavailGrey})
	}
	rows = append(rows, un)
	if h.Meta.Live {
		rows = append(rows, liveFindingRows(h, findings, opt)...)
	} else {
		rows = append(rows, findingRows(h, findings, from, to)...)
	}
	return rows
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// timelinePlotter draws the rows of a timeline; row i sits at y = n-1-i so that the
// first row is at the top.
type timelinePlotter struct {
	rows     []timelineRow
	from, to int64
}

func (t *timelinePlotter) DataRange() (xmin, xmax, ymin, ymax float64) {
	return secs(t.from), secs(t.to), -0.5, float64(len(t.rows)) - 0.5
}

func (t *timelinePlotter) Plot(c draw.Canvas, p *plot.Plot) {
	x, y := p.Transforms(&c)
	n := len(t.rows)
	font := p.X.Tick.Label
	font.Font.Size = timelineLabelSize
	font.XAlign, font.YAlign = draw.XLeft, draw.YCenter
	for i, r := range t.rows {
		yc := float64(n - 1 - i)
		// pad keeps a bar's label clear of a marker at the bar's start.
		var pad vg.Length
		if len(r.markers) > 0 {
			pad = markerHalfWidth
		}
		for _, b := range r.bars {
			from, to := max(b.from, t.from), min(b.to, t.to)
			if to <= from {
				continue
			}
			x0, x1 := x(secs(from)), x(secs(to))
			if x1-x0 < vg.Points(0.5) {
				x1 = x0 + vg.Points(0.5)
			}
			y0, y1 := y(yc-0.35), y(yc+0.35)
			c.FillPolygon(b.fill, c.ClipPolygonXY([]vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}}))
		}
		// Labels go on top of every bar, left to right, each clear of the one before it:
		// bars of one row may overlap (faults), and their labels must not overprint.
		labelEnd := vg.Length(math.Inf(-1))
		for _, b := range r.bars {
			from, to := max(b.from, t.from), min(b.to, t.to)
			if to <= from || b.label == "" {
				continue
			}
			x0, x1 := x(secs(from)), x(secs(to))
			w := font.Width(b.label)
			at := max(x0+vg.Points(1)+pad, labelEnd+labelGap)
			switch {
			case x1-at > w+vg.Points(1):
			case r.labelOutside && x1+vg.Points(1) >= labelEnd+labelGap:
				at = x1 + vg.Points(1)
			default:
				continue
			}
			c.FillText(font, vg.Point{X: at, Y: y(yc)}, b.label)
			labelEnd = at + w
		}
		// last holds the x of the last tick drawn in each colour of this row.
		last := map[color.Color]vg.Length{}
		for _, tk := range r.ticks {
			if tk.at < t.from || tk.at > t.to {
				continue
			}
			xt := x(secs(tk.at))
			if r.thin {
				if lx, ok := last[tk.fill]; ok && xt-lx < minTickGap && lx-xt < minTickGap {
					continue
				}
				last[tk.fill] = xt
			}
			c.StrokeLine2(draw.LineStyle{Color: tk.fill, Width: vg.Points(0.6)}, xt, y(yc-0.35), xt, y(yc+0.35))
		}
		for _, m := range r.markers {
			if m.at < t.from || m.at > t.to {
				continue
			}
			xm, y0, y1 := x(secs(m.at)), y(yc-0.35), y(yc+0.35)
			ym := (y0 + y1) / 2
			c.FillPolygon(m.fill, c.ClipPolygonXY([]vg.Point{{X: xm - markerHalfWidth, Y: ym}, {X: xm, Y: y0}, {X: xm + markerHalfWidth, Y: ym}, {X: xm, Y: y1}}))
		}
		if r.note != "" {
			c.FillText(font, vg.Point{X: x(secs(t.from)) + vg.Points(2), Y: y(yc)}, r.note)
		}
	}
}

// Font sizes of a timeline, in points (an SVG's px at its natural size): labels at
// least 11, so that they stay readable when the picture is scaled into a report.
const (
	timelineLabelSize = vg.Length(11)
	timelineTitleSize = vg.Length(13)
	timelineAxisSize  = vg.Length(12)
)

// minTickGap is how close (in canvas units) a tick of a thinned row may come to the
// previous one drawn in its colour before it is skipped: under the 0.6pt stroke of a
// tick, so that skipping it changes no pixel a reader could tell apart.
const minTickGap = vg.Length(0.5) // points

// labelGap is the least space between two labels in one row.
const labelGap = vg.Length(6) // points

func secs(ns int64) float64 { return float64(ns) / 1e9 }

// timelineWindow resolves opt's window against the run: From 0 is the run's start, To 0
// its end. A window the caller set that is empty is an error; a run of zero length drawn
// whole (no window set) gets a 1ns window, so that its bundle still has a timeline.
func timelineWindow(h *history.History, opt TimelineOptions) (from, to int64, err error) {
	from, to = opt.From, opt.To
	if from == 0 {
		from = h.Meta.Start
	}
	if to == 0 {
		to = h.Meta.End
	}
	if to > from {
		return from, to, nil
	}
	if opt.From == 0 && opt.To == 0 {
		return from, from + 1, nil
	}
	return 0, 0, fmt.Errorf("reports: empty timeline window: from %s is not before to %s (run %s to %s)",
		fmtAxis(from), fmtAxis(to), fmtAxis(h.Meta.Start), fmtAxis(h.Meta.End))
}

// Timeline returns the gonum plot of a run's timeline; x is true time, ticked and
// labelled as durations. It fails only on an empty window (see TimelineOptions).
func Timeline(h *history.History, findings []checker.Finding, opt TimelineOptions) (*plot.Plot, error) {
	from, to, err := timelineWindow(h, opt)
	if err != nil {
		return nil, err
	}
	rows := timelineRows(h, findings, opt, from, to)
	p := plot.New()
	p.Title.TextStyle.Font.Size = timelineTitleSize
	p.X.Label.TextStyle.Font.Size = timelineAxisSize
	p.X.Tick.Label.Font.Size = timelineLabelSize
	title := h.Meta.Scenario
	if h.Meta.Mutant != "" {
		title += " (mutant " + h.Meta.Mutant + ")"
	}
	p.X.Label.Text = "true time"
	if h.Meta.Live {
		// No true time in a live run: every stamp is on the driver's monotonic clock.
		title += fmt.Sprintf(" — live run, seed %d, times on %s", h.Meta.Seed, liveClock)
		p.X.Label.Text = liveClock + ", since the trial started"
	} else {
		title += fmt.Sprintf(" — seed %d", h.Meta.Seed)
	}
	p.Title.Text = title
	p.X.Tick.Marker = DurationTicks{}
	p.Add(&timelinePlotter{rows: rows, from: from, to: to})
	labels := make([]string, len(rows))
	for i, r := range rows {
		labels[len(rows)-1-i] = r.label
	}
	p.Y.Tick.Label.Font.Size = timelineLabelSize
	p.NominalY(labels...)
	p.X.Min, p.X.Max = secs(from), secs(to)
	return p, nil
}

// WriteTimelineSVG writes a run's timeline as SVG: one row per holder (claims coloured per
// holder, labelled with their epoch), liveness leases if asked, writes to the resource,
// faults, unavailable stretches and findings in red; x is true time.
func WriteTimelineSVG(w io.Writer, h *history.History, findings []checker.Finding, opt TimelineOptions) error {
	return WriteTimeline(w, "svg", h, findings, opt)
}

// WriteTimeline writes a run's timeline in a gonum/plot format: "svg", "png", "pdf".
func WriteTimeline(w io.Writer, format string, h *history.History, findings []checker.Finding, opt TimelineOptions) error {
	p, err := Timeline(h, findings, opt)
	if err != nil {
		return err
	}
	return writePlot(w, p, timelineSize(h, findings, opt), format)
}

func timelineSize(h *history.History, findings []checker.Finding, opt TimelineOptions) [2]vg.Length {
	from, to, err := timelineWindow(h, opt)
	if err != nil {
		from, to = h.Meta.Start, h.Meta.End
	}
	rows := len(timelineRows(h, findings, opt, from, to))
	wd, ht := opt.Width, opt.Height
	if wd == 0 {
		wd = 24 * vg.Centimeter
	}
	if ht == 0 {
		ht = vg.Length(rows)*0.9*vg.Centimeter + 3*vg.Centimeter
	}
	return [2]vg.Length{wd, ht}
}

func writePlot(w io.Writer, p *plot.Plot, size [2]vg.Length, format string) error {
	wt, err := p.WriterTo(size[0], size[1], format)
	if err != nil {
		return err
	}
	_, err = wt.WriteTo(w)
	return err
}

// WriteTimelineText writes a fixed-width text timeline: one line per row, width columns
// of true time, '#' where a claim holds ('0'-'9' would be ambiguous with epochs beyond
// nine), '|' for a write or an instant, '!' for a finding, '.' elsewhere.
func WriteTimelineText(w io.Writer, h *history.History, findings []checker.Finding, opt TimelineOptions, width int) error {
	if width < 10 {
		return fmt.Errorf("reports: a text timeline needs at least 10 columns, not %d", width)
	}
	from, to, err := timelineWindow(h, opt)
	if err != nil {
		return err
	}
	if opt.From == 0 && opt.To == 0 && h.Meta.End <= h.Meta.Start {
		// timelineWindow's 1ns window for a zero-length run has nothing to put in columns.
		return fmt.Errorf("reports: the run is empty (%s to %s): no text timeline", fmtAxis(h.Meta.Start), fmtAxis(h.Meta.End))
	}
	rows := timelineRows(h, findings, opt, from, to)
	lw := 0
	for _, r := range rows {
		lw = max(lw, len(r.label))
	}
	col := func(t int64) int {
		c := int((t - from) * int64(width) / (to - from))
		return min(max(c, 0), width-1)
	}
	for _, r := range rows {
		line := []byte(strings.Repeat(".", width))
		mark := byte('#')
		if r.label == "faults" {
			mark = '~'
		}
		if r.mark != 0 {
			mark = r.mark
		}
		for _, b := range r.bars {
			if b.to <= from || b.from >= to {
				continue
			}
			for c := col(b.from); c <= col(b.to-1); c++ {
				line[c] = mark
			}
		}
		for _, tk := range r.ticks {
			if tk.at >= from && tk.at < to {
				line[col(tk.at)] = '|'
			}
		}
		for _, m := range r.markers {
			if m.at >= from && m.at < to {
				line[col(m.at)] = '!'
			}
		}
		if _, err := fmt.Fprintf(w, "%-*s %s\n", lw, r.label, line); err != nil {
			return err
		}
	}
	_, err = fmt.Fprintf(w, "%-*s %s%s\n", lw, "", fmtAxis(from), pad(fmtAxis(to), width-len(fmtAxis(from))))
	return err
}

func fmtAxis(ns int64) string { return time.Duration(ns).Round(time.Millisecond).String() }

func pad(s string, n int) string {
	if n <= len(s) {
		return " " + s
	}
	return strings.Repeat(" ", n-len(s)) + s
}

// sortedLabels returns the keys of m in order; helpers of the plots use it.
func sortedLabels[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
