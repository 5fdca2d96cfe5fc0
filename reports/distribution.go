package reports

import (
	"fmt"
	"math"
	"slices"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/leasesim/leasesim/result"
	"github.com/leasesim/leasesim/stats"
)

// SeedMetric names a per-seed figure of a scenario's runs that the distribution plots
// draw.
type SeedMetric string

// The per-seed figures a distribution plot can draw.
const (
	// SeedUnavailableFraction is the run's unavailable fraction.
	SeedUnavailableFraction SeedMetric = "unavailable_fraction"
	// SeedMaxGap is the run's longest unavailable stretch, in seconds.
	SeedMaxGap SeedMetric = "max_gap"
	// SeedMaxRecovery is the run's longest recovery after a fault that caused
	// unavailability, in seconds (0 when no fault did).
	SeedMaxRecovery SeedMetric = "max_recovery"
)

// SeedMetrics lists the figures SeedValues knows, in the order `--help` texts show them.
var SeedMetrics = []SeedMetric{SeedUnavailableFraction, SeedMaxGap, SeedMaxRecovery}

// isDuration reports whether the metric is a duration (in seconds).
func (m SeedMetric) isDuration() bool { return m == SeedMaxGap || m == SeedMaxRecovery }

// axisLabel is the metric's axis title.
func (m SeedMetric) axisLabel() string {
	switch m {
	case SeedUnavailableFraction:
		return "unavailable fraction of the run"
	case SeedMaxGap:
		return "longest unavailable stretch"
	default:
		return "longest recovery after a fault"
	}
}

// format writes one value of the metric for a legend.
func (m SeedMetric) format(v float64) string {
	if m.isDuration() {
		return result.FormatDuration(time.Duration(v * 1e9).Round(time.Millisecond))
	}
	return pct(v)
}

// SeedValues returns one value of metric per run, in the runs' order: fractions as they
// are, durations in seconds. An unknown metric is an error that lists the known ones.
func SeedValues(runs []result.RunResult, metric SeedMetric) ([]float64, error) {
	if !slices.Contains(SeedMetrics, metric) {
		return nil, fmt.Errorf("reports: unknown per-seed metric %q; expected one of %v", metric, SeedMetrics)
	}
	out := make([]float64, len(runs))
	for i, r := range runs {
		m := r.Metrics
		switch metric {
		case SeedUnavailableFraction:
			out[i] = m.UnavailableFraction
		case SeedMaxGap:
			out[i] = secs(m.MaxGapNs)
		case SeedMaxRecovery:
			var worst int64
			for _, rc := range m.Recoveries {
				if rc.Caused && rc.RecoveryNs > worst {
					worst = rc.RecoveryNs
				}
			}
			out[i] = secs(worst)
		}
		if math.IsNaN(out[i]) || math.IsInf(out[i], 0) {
			return nil, fmt.Errorf("reports: %s seed %d: %s is %v; expected a finite number", r.Scenario, r.Seed, metric, out[i])
		}
	}
	return out, nil
}

// SeedCDFPlot draws the empirical distribution over seeds of one per-seed figure: a step
// line F(x) = fraction of seeds with a value ≤ x, dashed verticals at the p50 and p99
// (nearest rank, as in result.ScenarioResult), and a red cross on each seed that violated a
// property — so a reader sees whether the unsafe seeds are also the slow ones.
func SeedCDFPlot(runs []result.RunResult, metric SeedMetric, title string) (*plot.Plot, error) {
	vs, err := SeedValues(runs, metric)
	if err != nil {
		return nil, err
	}
	if len(vs) == 0 {
		return nil, fmt.Errorf("reports: no runs to draw the distribution of %s", metric)
	}
	steps, unsafe := seedCDF(runs, vs)
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = metric.axisLabel()
	p.Y.Label.Text = fmt.Sprintf("fraction of seeds ≤ x (%s)", Count(len(vs), "seed"))
	line, err := plotter.NewLine(steps)
	if err != nil {
		return nil, err
	}
	line.Color = palette[0]
	line.Width = vg.Points(1.2)
	p.Add(plotter.NewGrid(), line)
	p.Legend.Add("seeds", line)
	for i, q := range []float64{50, 99} {
		v := stats.Percentile(vs, q)
		l, err := plotter.NewLine(plotter.XYs{{X: v, Y: 0}, {X: v, Y: 1}})
		if err != nil {
			return nil, err
		}
		l.Color = palette[1+i]
		l.Dashes = []vg.Length{vg.Points(4), vg.Points(2)}
		p.Add(l)
		p.Legend.Add(fmt.Sprintf("p%g = %s", q, metric.format(v)), l)
	}
	if len(unsafe) > 0 {
		s, err := plotter.NewScatter(unsafe)
		if err != nil {
			return nil, err
		}
		s.GlyphStyle = draw.GlyphStyle{Color: findingRed, Radius: vg.Points(4), Shape: draw.CrossGlyph{}}
		p.Add(s)
		p.Legend.Add(fmt.Sprintf("seed violated a property (%s)", result.Thousands(len(unsafe))), s)
	}
	p.Legend.Left = false
	p.Legend.Top = false
	p.Legend.XOffs = -vg.Points(4)
	p.Legend.YOffs = vg.Points(4)
	p.Y.Min, p.Y.Max = 0, 1
	setValueAxis(p, metric, vs)
	return p, nil
}

// seedCDF returns the step line of the empirical distribution of vs (one value per run)
// and the points of the runs that violated a property, on that line.
func seedCDF(runs []result.RunResult, vs []float64) (steps, unsafe plotter.XYs) {
	order := make([]int, len(vs))
	for i := range order {
		order[i] = i
	}
	// Ties in value are broken by seed, so that the crosses land in the same place on
	// every run of the report.
	slices.SortStableFunc(order, func(a, b int) int {
		if vs[a] != vs[b] {
			if vs[a] < vs[b] {
				return -1
			}
			return 1
		}
		switch {
		case runs[a].Seed < runs[b].Seed:
			return -1
		case runs[a].Seed > runs[b].Seed:
			return 1
		}
		return 0
	})
	n := float64(len(vs))
	steps = plotter.XYs{{X: vs[order[0]], Y: 0}}
	for rank, i := range order {
		f := float64(rank+1) / n
		if rank > 0 {
			steps = append(steps, plotter.XY{X: vs[i], Y: float64(rank) / n})
		}
		steps = append(steps, plotter.XY{X: vs[i], Y: f})
		if len(runs[i].Findings) > 0 {
			unsafe = append(unsafe, plotter.XY{X: vs[i], Y: f})
		}
	}
	return steps, unsafe
}

// SeedHistogramPlot draws a histogram over seeds of one per-seed figure with bins bins
// (0 picks √seeds, at most 50), with dashed verticals at the p50 and p99.
func SeedHistogramPlot(runs []result.RunResult, metric SeedMetric, bins int, title string) (*plot.Plot, error) {
	vs, err := SeedValues(runs, metric)
	if err != nil {
		return nil, err
	}
	if len(vs) == 0 {
		return nil, fmt.Errorf("reports: no runs to draw the distribution of %s", metric)
	}
	if bins < 0 {
		return nil, fmt.Errorf("reports: %d histogram bins; expected 0 (automatic) or more", bins)
	}
	if bins == 0 {
		bins = min(50, int(math.Ceil(math.Sqrt(float64(len(vs))))))
	}
	h, err := plotter.NewHist(plotter.Values(vs), bins)
	if err != nil {
		return nil, err
	}
	h.FillColor = fade(palette[0])
	h.LineStyle.Color = palette[0]
	top := 0.0
	for _, b := range h.Bins {
		top = math.Max(top, b.Weight)
	}
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = metric.axisLabel()
	p.Y.Label.Text = fmt.Sprintf("seeds (of %s)", result.Thousands(len(vs)))
	p.Add(plotter.NewGrid(), h)
	for i, q := range []float64{50, 99} {
		v := stats.Percentile(vs, q)
		l, err := plotter.NewLine(plotter.XYs{{X: v, Y: 0}, {X: v, Y: top}})
		if err != nil {
			return nil, err
		}
		l.Color = palette[1+i]
		l.Dashes = []vg.Length{vg.Points(4), vg.Points(2)}
		p.Add(l)
		p.Legend.Add(fmt.Sprintf("p%g = %s", q, metric.format(v)), l)
	}
	p.Legend.Top = true
	// Headroom above the tallest bin keeps the legend off the bars.
	p.Y.Min, p.Y.Max = 0, math.Max(p.Y.Max, top*1.3)
	setValueAxis(p, metric, vs)
	return p, nil
}

// setValueAxis labels the x axis of a distribution plot (durations as durations,
// fractions as percentages), leaves a margin right of the largest value and widens a
// degenerate range, where every seed gave the same
// value, so that the one value sits in the middle of a readable axis.
func setValueAxis(p *plot.Plot, metric SeedMetric, vs []float64) {
	lo, hi := slices.Min(vs), slices.Max(vs)
	if lo < hi {
		// A margin on the right keeps the last step and the p99 line off the frame.
		p.X.Max = math.Max(p.X.Max, hi+(hi-lo)*0.03)
	} else {
		pad := math.Max(math.Abs(lo)*0.1, 1e-3)
		p.X.Min, p.X.Max = math.Min(p.X.Min, lo-pad), math.Max(p.X.Max, hi+pad)
		if lo >= 0 && p.X.Min < 0 {
			p.X.Min = 0
		}
	}
	if metric.isDuration() {
		p.X.Tick.Marker = DurationTicks{}
	} else {
		p.X.Tick.Marker = percentTicks
	}
}

// percentTicks labels fraction axes in percent, each tick with its exact value
// (tickPercent): 0.025 → "2.5%", 0.01025 → "1.025%".
var percentTicks = plot.TickerFunc(func(min, max float64) []plot.Tick {
	ticks := plot.DefaultTicks{}.Ticks(min, max)
	for i, t := range ticks {
		if t.Label != "" {
			ticks[i].Label = tickPercent(t.Value)
		}
	}
	return ticks
})
