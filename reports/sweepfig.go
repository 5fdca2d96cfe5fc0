package reports

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/leasesim/leasesim/result"
)

// SweepLayout says how a sweep's parameters map onto its figure: X along the x axis,
// Series one line per value, Facets one row of panels per combination of values, and
// Fixed the swept parameters with a single value (named in the figure's title).
type SweepLayout struct {
	X      string
	Series string
	Facets []string
	Fixed  []string
}

// NewSweepLayout maps the swept parameters (in --set order) onto a figure: the first is
// the x axis; of the others, those with one value are fixed, the first with several
// values draws one line per value, and the rest facet the figure into rows, so that no
// line joins points that differ in a parameter the figure does not show.
func NewSweepLayout(points []result.SweepPoint, swept []string) SweepLayout {
	var l SweepLayout
	if len(swept) == 0 {
		return l
	}
	l.X = swept[0]
	for _, k := range swept[1:] {
		var vals []string
		for _, p := range points {
			if v := p.Set[k]; !slices.Contains(vals, v) {
				vals = append(vals, v)
			}
		}
		switch {
		case len(vals) <= 1:
			l.Fixed = append(l.Fixed, k)
		case l.Series == "":
			l.Series = k
		default:
			l.Facets = append(l.Facets, k)
		}
	}
	return l
}

// facetKey names a point's facet: "guard=100ms, renew=1s", "" when there are none.
func (l SweepLayout) facetKey(p result.SweepPoint) string {
	parts := make([]string, len(l.Facets))
	for i, k := range l.Facets {
		parts[i] = k + "=" + p.Set[k]
	}
	return strings.Join(parts, ", ")
}

// BestPoint returns, among points without a violating or undecided seed and without an
// error, the one with the lowest mean unavailability (the first such in the order
// given), and whether there is one.
func BestPoint(points []result.SweepPoint) (result.SweepPoint, bool) {
	var best result.SweepPoint
	found := false
	for _, p := range points {
		if p.Error != "" || p.ViolatingSeeds > 0 || p.Unknown > 0 || p.Seeds == 0 {
			continue
		}
		if !found || p.UnavailMean < best.UnavailMean {
			best, found = p, true
		}
	}
	return best, found
}

// Sizes of the sweep figure: a row of two panels per facet and a legend under them,
// text at least 11 pt.
var (
	sweepFigWidth  = 26 * vg.Centimeter
	sweepRowHeight = 8 * vg.Centimeter
	sweepLegendH   = 1.6 * vg.Centimeter
	sweepTitleH    = 1.0 * vg.Centimeter
)

// sweepText sets a plot's text sizes for screens: ticks and legend 11 pt, axis labels
// 12 pt, title 13 pt.
func sweepText(p *plot.Plot) {
	p.Title.TextStyle.Font.Size = vg.Points(13)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font.Size = vg.Points(12)
		a.Tick.Label.Font.Size = vg.Points(11)
	}
	p.Legend.TextStyle.Font.Size = vg.Points(11)
}

// WriteSweepFigure draws a sweep as one figure in format "svg" or "png" (rendered at
// twice 72 dpi, for screens): per facet, the unavailable fraction (mean line, p5–p95
// band, a red cross where some seed violated a property, a black ring and label on the
// best point, its mean printed as the sweep table prints it) beside the issuer's messages
// per second (the cost of short leases), and one legend under the panels, off the data.
func WriteSweepFigure(w io.Writer, points []result.SweepPoint, swept []string, title, format string) error {
	if format != "svg" && format != "png" {
		return fmt.Errorf("reports: plot format %q; expected svg or png", format)
	}
	l := NewSweepLayout(points, swept)
	if l.X == "" {
		return fmt.Errorf("reports: a sweep figure needs at least one swept parameter")
	}
	var facets []string
	byFacet := map[string][]result.SweepPoint{}
	for _, p := range points {
		k := l.facetKey(p)
		if _, ok := byFacet[k]; !ok {
			facets = append(facets, k)
		}
		byFacet[k] = append(byFacet[k], p)
	}
	if len(facets) == 0 {
		facets = []string{""}
	}
	var rows [][]*plot.Plot
	var legend []legendEntry
	for i, f := range facets {
		up, ip, lg, err := sweepPanels(byFacet[f], l, f)
		if err != nil {
			return err
		}
		rows = append(rows, []*plot.Plot{up, ip})
		if i == 0 {
			legend = lg
		}
	}
	height := vg.Length(len(rows))*sweepRowHeight + sweepLegendH + sweepTitleH
	var c vg.CanvasWriterTo
	if format == "svg" {
		c = vgsvg.New(sweepFigWidth, height)
	} else {
		c = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(sweepFigWidth, height), vgimg.UseDPI(144))}
	}
	dc := draw.New(c)
	// White background, title, then the panels, then the legend strip.
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())
	full := title
	if len(l.Fixed) > 0 {
		var fixed []string
		for _, k := range l.Fixed {
			fixed = append(fixed, k+"="+points[0].Set[k])
		}
		full += " (" + strings.Join(fixed, ", ") + ")"
	}
	ts := draw.TextStyle{Color: color.Black, Font: font.From(plot.DefaultFont, vg.Points(14)), XAlign: draw.XLeft, YAlign: draw.YTop, Handler: plot.DefaultTextHandler}
	dc.FillText(ts, vg.Point{X: dc.Min.X + vg.Points(8), Y: dc.Max.Y - vg.Points(6)}, full)
	panels := draw.Canvas{Canvas: dc.Canvas, Rectangle: vg.Rectangle{
		Min: vg.Point{X: dc.Min.X, Y: dc.Min.Y + sweepLegendH},
		Max: vg.Point{X: dc.Max.X, Y: dc.Max.Y - sweepTitleH},
	}}
	tiles := draw.Tiles{Rows: len(rows), Cols: 2, PadX: vg.Millimeter * 8, PadY: vg.Millimeter * 9,
		PadLeft: vg.Millimeter * 2, PadRight: vg.Millimeter * 5, PadTop: vg.Millimeter * 8, PadBottom: vg.Millimeter * 2}
	fs := ts
	fs.Font.Size = vg.Points(12)
	for i, row := range rows {
		for j, p := range row {
			p.Draw(tiles.At(panels, j, i))
		}
		if facets[i] != "" {
			// The row's facet, above its panels.
			top := tiles.At(panels, 0, i).Max.Y
			dc.FillText(fs, vg.Point{X: dc.Min.X + vg.Points(8), Y: top + vg.Points(16)}, facets[i])
		}
	}
	strip := draw.Canvas{Canvas: dc.Canvas, Rectangle: vg.Rectangle{
		Min: vg.Point{X: dc.Min.X + vg.Points(8), Y: dc.Min.Y},
		Max: vg.Point{X: dc.Max.X, Y: dc.Min.Y + sweepLegendH},
	}}
	drawLegendRow(strip, legend)
	_, err := c.WriteTo(w)
	return err
}

// UnavailBandLabel names the band of the unavailability panel in its legend: the spread
// of the unavailable fraction over a point's seeds, around their mean.
const UnavailBandLabel = "p5–p95 over seeds"

// unavailSeries is the data of one line of the unavailability panel, from points
// sorted along x: the mean unavailable fraction over each point's seeds, and the polygon
// of its seed band — the 5th percentile over seeds left to right, then the 95th right to
// left.
func unavailSeries(points []result.SweepPoint, x string) (line, band plotter.XYs, err error) {
	for _, q := range points {
		xv, err := result.ParamValue(q.Set[x])
		if err != nil {
			return nil, nil, err
		}
		line = append(line, plotter.XY{X: xv, Y: q.UnavailMean})
		band = append(band, plotter.XY{X: xv, Y: q.UnavailP5})
	}
	for j := len(points) - 1; j >= 0; j-- {
		band = append(band, plotter.XY{X: line[j].X, Y: points[j].UnavailP95})
	}
	return line, band, nil
}

// legendEntry is one entry of the legend strip: its label and the thumbnails drawn
// before it.
type legendEntry struct {
	label  string
	thumbs []plot.Thumbnailer
}

// drawLegendRow draws the legend's entries side by side, wrapping onto a second line.
func drawLegendRow(c draw.Canvas, entries []legendEntry) {
	ts := draw.TextStyle{Color: color.Black, Font: font.From(plot.DefaultFont, vg.Points(11)),
		XAlign: draw.XLeft, YAlign: draw.YCenter, Handler: plot.DefaultTextHandler}
	x := c.Min.X
	y := c.Max.Y - vg.Points(14)
	for _, e := range entries {
		w := ts.Width(e.label) + vg.Points(40)
		if x+w > c.Max.X {
			x, y = c.Min.X, y-vg.Points(18)
		}
		icon := draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
			Min: vg.Point{X: x, Y: y - vg.Points(6)}, Max: vg.Point{X: x + vg.Points(24), Y: y + vg.Points(6)}}}
		for _, t := range e.thumbs {
			t.Thumbnail(&icon)
		}
		c.FillText(ts, vg.Point{X: x + vg.Points(28), Y: y}, e.label)
		x += w
	}
}

// sweepPanels builds one facet's two panels and the legend entries they share.
func sweepPanels(points []result.SweepPoint, l SweepLayout, facet string) (up, ip *plot.Plot, legend []legendEntry, err error) {
	up, ip = plot.New(), plot.New()
	sweepText(up)
	sweepText(ip)
	unit := axisUnit(points, l.X)
	up.X.Label.Text, ip.X.Label.Text = l.X, l.X
	up.Y.Label.Text = "unavailable (mean over seeds)"
	ip.Y.Label.Text = "issuer messages/s (mean)"
	names, groups := series(points, l.X, l.Series)
	// Log scales when the values span more than a factor of 20.
	logScale := func(p *plot.Plot, vals []float64) (float64, bool) {
		lo, hi := math.Inf(1), 0.0
		for _, v := range vals {
			if v > 0 {
				lo = math.Min(lo, v)
			}
			hi = math.Max(hi, v)
		}
		if hi > 0 && lo < hi/20 {
			p.Y.Scale = plot.LogScale{}
			return lo / 10, true
		}
		return 0, false
	}
	var uv, iv []float64
	for _, q := range points {
		if q.Error == "" {
			uv = append(uv, q.UnavailMean, q.UnavailP95)
			iv = append(iv, q.IssuerMsgsPerSec)
		}
	}
	uFloor, uLog := logScale(up, uv)
	iFloor, iLog := logScale(ip, iv)
	if uLog {
		up.Y.Tick.Marker = log125Ticks{tickPercent}
	} else {
		up.Y.Tick.Marker = plot.TickerFunc(func(min, max float64) []plot.Tick {
			ts := plot.DefaultTicks{}.Ticks(min, max)
			for i := range ts {
				if ts[i].Label != "" {
					ts[i].Label = tickPercent(ts[i].Value)
				}
			}
			return ts
		})
	}
	if iLog {
		ip.Y.Tick.Marker = log125Ticks{tickNumber}
	}
	clamp := func(v, floor float64, log bool) float64 {
		if log && v < floor {
			return floor
		}
		return v
	}
	violated := false
	for i, n := range names {
		g := groups[n]
		c := palette[i%len(palette)]
		line, band, err := unavailSeries(g, l.X)
		if err != nil {
			return nil, nil, nil, err
		}
		for _, xy := range []plotter.XYs{line, band} {
			for k := range xy {
				xy[k].Y = clamp(xy[k].Y, uFloor, uLog)
			}
		}
		unsafe, msgs := plotter.XYs{}, plotter.XYs{}
		for k, q := range g {
			xv := line[k].X
			msgs = append(msgs, plotter.XY{X: xv, Y: clamp(q.IssuerMsgsPerSec, iFloor, iLog)})
			if q.ViolatingSeeds > 0 {
				unsafe = append(unsafe, line[k])
			}
		}
		var poly *plotter.Polygon
		if poly, err = plotter.NewPolygon(band); err == nil {
			poly.Color = faint(c)
			poly.LineStyle.Width = 0
			up.Add(poly)
		}
		ln, pts, err := plotter.NewLinePoints(line)
		if err != nil {
			return nil, nil, nil, err
		}
		ln.Color, pts.Color = c, c
		ln.Width = vg.Points(1.5)
		up.Add(ln, pts)
		ml, mp, err := plotter.NewLinePoints(msgs)
		if err != nil {
			return nil, nil, nil, err
		}
		ml.Color, mp.Color = c, c
		ml.Width = vg.Points(1.5)
		ip.Add(ml, mp)
		label := n
		if label == "" {
			label = "mean"
		}
		legend = append(legend, legendEntry{label, []plot.Thumbnailer{ln, pts}})
		if poly != nil && i == 0 {
			legend = append(legend, legendEntry{UnavailBandLabel, []plot.Thumbnailer{poly}})
		}
		if len(unsafe) > 0 {
			s, err := plotter.NewScatter(unsafe)
			if err != nil {
				return nil, nil, nil, err
			}
			s.GlyphStyle = draw.GlyphStyle{Color: findingRed, Radius: vg.Points(5), Shape: draw.CrossGlyph{}}
			up.Add(s)
			if !violated {
				legend = append(legend, legendEntry{"some seed violated a property", []plot.Thumbnailer{s}})
				violated = true
			}
		}
	}
	if best, ok := BestPoint(points); ok {
		xv, _ := result.ParamValue(best.Set[l.X])
		minX, maxX := math.Inf(1), math.Inf(-1)
		for _, q := range points {
			if v, err := result.ParamValue(q.Set[l.X]); err == nil {
				minX, maxX = math.Min(minX, v), math.Max(maxX, v)
			}
		}
		ring := func(p *plot.Plot, y float64, text string, below bool) error {
			s, err := plotter.NewScatter(plotter.XYs{{X: xv, Y: y}})
			if err != nil {
				return err
			}
			s.GlyphStyle = draw.GlyphStyle{Color: color.Black, Radius: vg.Points(7), Shape: draw.RingGlyph{}}
			p.Add(s)
			lb, err := plotter.NewLabels(plotter.XYLabels{XYs: plotter.XYs{{X: xv, Y: y}}, Labels: []string{text}})
			if err != nil {
				return err
			}
			for i := range lb.TextStyle {
				lb.TextStyle[i].Font.Size = vg.Points(11)
				lb.TextStyle[i].YAlign = draw.YBottom
			}
			lb.Offset = vg.Point{X: vg.Points(9), Y: vg.Points(6)}
			if below {
				// Under the minimum of a U, where no line runs.
				for i := range lb.TextStyle {
					lb.TextStyle[i].YAlign = draw.YTop
				}
				lb.Offset.Y = -vg.Points(9)
			}
			if xv >= maxX && minX < maxX {
				// The rightmost point: the label goes to its left, inside the panel.
				for i := range lb.TextStyle {
					lb.TextStyle[i].XAlign = draw.XRight
				}
				lb.Offset.X = -vg.Points(9)
			}
			p.Add(lb)
			if len(legend) > 0 && p == up {
				legend = append(legend, legendEntry{"best: lowest mean with no violation", []plot.Thumbnailer{s}})
			}
			return nil
		}
		if err := ring(up, clamp(best.UnavailMean, uFloor, uLog), fmt.Sprintf("best: %s=%s, %s", l.X, best.Set[l.X], pct(best.UnavailMean)), true); err != nil {
			return nil, nil, nil, err
		}
		if err := ring(ip, clamp(best.IssuerMsgsPerSec, iFloor, iLog), fmt.Sprintf("%.1f msg/s", best.IssuerMsgsPerSec), false); err != nil {
			return nil, nil, nil, err
		}
	}
	for _, p := range []*plot.Plot{up, ip} {
		p.Add(plotter.NewGrid())
		logX(p, points, l.X)
		if _, isLog := p.X.Scale.(plot.LogScale); isLog {
			p.X.Tick.Marker = log125Ticks{tickNumber}
			if unit != "" {
				p.X.Tick.Marker = log125Ticks{fmtSeconds}
			}
		} else if unit != "" {
			p.X.Tick.Marker = DurationTicks{}
		}
	}
	return up, ip, legend, nil
}

// log125Ticks labels a log axis at 1, 2 and 5 times each power of ten (only the powers
// of ten when the axis spans more than three decades), with minor ticks at the other
// integers, formatting labels with format.
type log125Ticks struct{ format func(float64) string }

// Ticks implements plot.Ticker.
func (t log125Ticks) Ticks(min, max float64) []plot.Tick {
	if min <= 0 || max <= min || math.IsInf(max, 0) {
		return nil
	}
	sparse := max/min > 1000
	var ticks []plot.Tick
	for e := math.Floor(math.Log10(min)); e <= math.Ceil(math.Log10(max)); e++ {
		base := math.Pow(10, e)
		for m := 1.0; m < 10; m++ {
			v := m * base
			if v < min*(1-1e-9) || v > max*(1+1e-9) {
				continue
			}
			tk := plot.Tick{Value: v}
			if m == 1 || !sparse && (m == 2 || m == 5) {
				tk.Label = t.format(v)
			}
			ticks = append(ticks, tk)
		}
	}
	return ticks
}

// fmtSeconds formats a value in seconds as a duration: "50ms", "2s", "1m".
func fmtSeconds(v float64) string { return result.FormatDuration(time.Duration(math.Round(v * 1e9))) }

// tickPercent labels a tick of a fraction axis in percent with the tick's own value,
// not a neighbour rounded to the nearest: 0.01025 is "1.025%", where three significant
// digits put "1.02%" on it. Measured figures are not ticks: they print as the tables
// print them (pct).
func tickPercent(v float64) string { return tickNumber(100*v) + "%" }

// tickNumber writes a tick's value in full, without an exponent (0.00001, 1000), with
// only the float noise of its computation dropped (twelve significant digits keep every
// tick's decimal value: 0.1+0.2 is "0.3").
func tickNumber(v float64) string {
	exact, err := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 12, 64), 64)
	if err != nil {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return strconv.FormatFloat(exact, 'f', -1, 64)
}
