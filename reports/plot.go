package reports

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/leasesim/leasesim/result"
)

// PlotSize is the size of sweep plots.
var PlotSize = [2]vg.Length{16 * vg.Centimeter, 10 * vg.Centimeter}

// series groups a sweep's points by the value of the series parameter, each group sorted
// along x.
func series(points []result.SweepPoint, x, by string) ([]string, map[string][]result.SweepPoint) {
	groups := map[string][]result.SweepPoint{}
	var names []string
	for _, p := range points {
		if p.Error != "" {
			continue
		}
		name := ""
		if by != "" {
			name = by + "=" + p.Set[by]
		}
		if _, ok := groups[name]; !ok {
			names = append(names, name)
		}
		groups[name] = append(groups[name], p)
	}
	for _, n := range names {
		result.SortPoints([]string{x}, groups[n])
	}
	return names, groups
}

// UnavailabilityPlot draws the unavailable fraction against parameter x: one line per
// value of the series parameter (by; "" for one line) through the mean over seeds, a
// shaded p5–p95 band over seeds, and a red cross on every point where some seed violated
// a property — the safety boundary. The y axis is logarithmic when the values span more
// than a factor of 20.
func UnavailabilityPlot(points []result.SweepPoint, x, by, title string) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = x + axisUnit(points, x)
	p.Y.Label.Text = "unavailable fraction (mean; band p5–p95)"
	names, groups := series(points, x, by)
	lo, hi := math.Inf(1), 0.0
	for _, n := range names {
		for _, q := range groups[n] {
			if q.UnavailMean > 0 {
				lo = math.Min(lo, q.UnavailMean)
			}
			hi = math.Max(hi, q.UnavailP95)
		}
	}
	logY := hi > 0 && lo < hi/20
	floor := lo / 10
	clampY := func(v float64) float64 {
		if logY && v < floor {
			return floor
		}
		return v
	}
	if logY {
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = plot.LogTicks{Prec: -1}
	}
	for i, n := range names {
		g := groups[n]
		c := palette[i%len(palette)]
		line, band, unsafe := plotter.XYs{}, plotter.XYs{}, plotter.XYs{}
		for _, q := range g {
			xv, err := result.ParamValue(q.Set[x])
			if err != nil {
				return nil, err
			}
			line = append(line, plotter.XY{X: xv, Y: clampY(q.UnavailMean)})
			band = append(band, plotter.XY{X: xv, Y: clampY(q.UnavailP5)})
			if q.ViolatingSeeds > 0 {
				unsafe = append(unsafe, plotter.XY{X: xv, Y: clampY(q.UnavailMean)})
			}
		}
		for j := len(g) - 1; j >= 0; j-- {
			xv, _ := result.ParamValue(g[j].Set[x])
			band = append(band, plotter.XY{X: xv, Y: clampY(g[j].UnavailP95)})
		}
		if poly, err := plotter.NewPolygon(band); err == nil {
			poly.Color = faint(c)
			poly.LineStyle.Width = 0
			p.Add(poly)
		}
		l, pts, err := plotter.NewLinePoints(line)
		if err != nil {
			return nil, err
		}
		l.Color, pts.Color = c, c
		p.Add(l, pts)
		label := n
		if label == "" {
			label = "mean"
		}
		p.Legend.Add(label, l, pts)
		if len(unsafe) > 0 {
			s, err := plotter.NewScatter(unsafe)
			if err != nil {
				return nil, err
			}
			s.GlyphStyle = draw.GlyphStyle{Color: findingRed, Radius: vg.Points(5), Shape: draw.CrossGlyph{}}
			p.Add(s)
			if i == 0 {
				p.Legend.Add("some seed violated a property", s)
			}
		}
	}
	p.Legend.Top = true
	p.Add(plotter.NewGrid())
	logX(p, points, x)
	return p, nil
}

// logX puts the x axis on a log scale when the swept values are all positive and span
// more than a factor of 100 (lease lengths from 50ms to a minute), two decades: a sweep
// over fewer reads better on a linear axis. (The y axis of UnavailabilityPlot goes log
// at a factor of 20, since fractions near zero vanish on a linear axis.)
func logX(p *plot.Plot, points []result.SweepPoint, x string) {
	lo, hi := math.Inf(1), 0.0
	for _, q := range points {
		v, err := result.ParamValue(q.Set[x])
		if err != nil || v <= 0 {
			return
		}
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	if hi > 100*lo {
		p.X.Scale = plot.LogScale{}
		p.X.Tick.Marker = plot.LogTicks{Prec: -1}
	}
}

// ViolationPlot draws the rate of seeds that violated some property against x, one
// line per value of the series parameter, each with its Clopper–Pearson band: where it
// leaves zero is the safety boundary.
func ViolationPlot(points []result.SweepPoint, x, by, title string) (*plot.Plot, error) {
	var swept []string
	if x != "" {
		swept = append(swept, x)
	}
	if by != "" {
		swept = append(swept, by)
	}
	return SweptViolationPlot(points, swept, title)
}

// ViolationBandLabel names the band of the violation plot in its legend.
var ViolationBandLabel = fmt.Sprintf("band: Clopper–Pearson bounds, each one-sided at %.0f%%", 100*result.DefaultConfidence)

// SweptViolationPlot is ViolationPlot over every swept parameter: one line per
// combination of the values of the parameters after the first (x), so that no line
// joins points that differ in one of them. Each line is the rate of seeds that violated
// any property, in a shaded band from its lower to its upper Clopper–Pearson bound at
// result.DefaultConfidence (violationSeries): a point with no violation still shows how
// high its rate could be. The legend sits above the data, in a band over a rate of 1.
func SweptViolationPlot(points []result.SweepPoint, swept []string, title string) (*plot.Plot, error) {
	l := NewSweepLayout(points, swept)
	x := l.X
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = x + axisUnit(points, x)
	p.Y.Label.Text = "violation rate per seed (any property)"
	p.Y.Min, p.Y.Max = 0, 1.3
	p.Y.Tick.Marker = plot.ConstantTicks([]plot.Tick{{Value: 0, Label: "0"}, {Value: 0.25}, {Value: 0.5, Label: "0.5"}, {Value: 0.75}, {Value: 1, Label: "1"}})
	keyed := make([]result.SweepPoint, 0, len(points))
	for _, q := range points {
		var parts []string
		for _, k := range append([]string{l.Series}, l.Facets...) {
			if k != "" {
				parts = append(parts, k+"="+q.Set[k])
			}
		}
		c := q
		c.Set = map[string]string{x: q.Set[x], "\x00series": strings.Join(parts, ", ")}
		keyed = append(keyed, c)
	}
	names, groups := series(keyed, x, "\x00series")
	for i, n := range names {
		names[i] = strings.TrimPrefix(n, "\x00series=")
		groups[names[i]] = groups[n]
	}
	for i, n := range names {
		xy, band, err := violationSeries(groups[n], x)
		if err != nil {
			return nil, err
		}
		c := palette[i%len(palette)]
		poly, err := plotter.NewPolygon(band)
		if err != nil {
			return nil, err
		}
		poly.Color = faint(c)
		poly.LineStyle.Width = 0
		p.Add(poly)
		l, pts, err := plotter.NewLinePoints(xy)
		if err != nil {
			return nil, err
		}
		l.Color, pts.Color = c, c
		p.Add(l, pts)
		label := n
		if label == "" {
			label = "violation rate"
		}
		p.Legend.Add(label, l, pts)
		if i == 0 {
			p.Legend.Add(ViolationBandLabel, poly)
		}
	}
	p.Legend.Top = true
	p.Legend.Left = true
	p.Legend.XOffs = vg.Points(8)
	sweepText(p)
	p.Add(plotter.NewGrid())
	logX(p, points, x)
	if _, isLog := p.X.Scale.(plot.LogScale); isLog && axisUnit(points, x) != "" {
		p.X.Tick.Marker = log125Ticks{fmtSeconds}
	} else if axisUnit(points, x) != "" {
		p.X.Tick.Marker = DurationTicks{}
	}
	return p, nil
}

// violationSeries is the data of one line of the violation plot, from points sorted
// along x: the rate of seeds that violated any property at each x, and the polygon of
// its band — the lower Clopper–Pearson bounds left to right, then the upper bounds right
// to left, each one-sided at result.DefaultConfidence.
func violationSeries(points []result.SweepPoint, x string) (line, band plotter.XYs, err error) {
	upper := make(plotter.XYs, 0, len(points))
	for _, q := range points {
		xv, err := result.ParamValue(q.Set[x])
		if err != nil {
			return nil, nil, err
		}
		r := result.RateOf(q.ViolatingSeeds, q.Seeds, result.DefaultConfidence, 0)
		line = append(line, plotter.XY{X: xv, Y: r.Rate})
		band = append(band, plotter.XY{X: xv, Y: r.Lower})
		upper = append(upper, plotter.XY{X: xv, Y: r.Upper})
	}
	for j := len(upper) - 1; j >= 0; j-- {
		band = append(band, upper[j])
	}
	return line, band, nil
}

func axisUnit(points []result.SweepPoint, x string) string {
	for _, p := range points {
		if v, ok := p.Set[x]; ok {
			if _, err := result.ParamValue(v); err == nil && v != "" && (v[len(v)-1] < '0' || v[len(v)-1] > '9') {
				return " (s)"
			}
			return ""
		}
	}
	return ""
}

// WritePlot writes a plot as "svg" or "png" at PlotSize (a PNG at 144 dpi).
func WritePlot(w io.Writer, p *plot.Plot, format string) error {
	switch format {
	case "svg", "png":
	default:
		return fmt.Errorf("reports: plot format %q; expected svg or png", format)
	}
	if format == "png" {
		// Twice 72 dpi, so that the PNG stays sharp on screens that scale by 2.
		c := vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(PlotSize[0], PlotSize[1]), vgimg.UseDPI(144))}
		p.Draw(draw.New(c))
		_, err := c.WriteTo(w)
		return err
	}
	return writePlot(w, p, PlotSize, format)
}

// faint returns c at 20% opacity, for bands that may overlap.
func faint(c color.Color) color.Color {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	n.A = 0x33
	return n
}
