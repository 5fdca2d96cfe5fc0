package reports

import (
	"bytes"
	"image/png"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"

	"github.com/leasesim/leasesim/result"
)

// grid returns a sweep over lease × guard with the given mean unavailability per point;
// violating names the lease values whose points had a violating seed.
func grid(leases, guards []string, unavail func(i, j int) float64, violating map[string]bool) []result.SweepPoint {
	var ps []result.SweepPoint
	for i, l := range leases {
		for j, g := range guards {
			p := point(l, g, 10)
			u := unavail(i, j)
			p.UnavailMean, p.UnavailP5, p.UnavailP50, p.UnavailP95 = u, u/2, u, u*1.5
			if violating[l] && j == 0 {
				p.ViolatingSeeds, p.Violations = 3, map[string]int{"p1": 3}
			}
			ps = append(ps, p)
		}
	}
	return ps
}

func isLog(n plot.Normalizer) bool {
	_, ok := n.(plot.LogScale)
	return ok
}

func TestUnavailabilityPlotScales(t *testing.T) {
	guards := []string{"0", "500ms"}
	for _, c := range []struct {
		name       string
		leases     []string
		unavail    func(i, j int) float64
		logX, logY bool
	}{
		{"narrow", []string{"1s", "2s", "5s", "10s"}, func(i, j int) float64 { return 0.02 + 0.01*float64(i) }, false, false},
		{"wide x", []string{"50ms", "1s", "60s"}, func(i, j int) float64 { return 0.02 + 0.01*float64(i) }, true, false},
		{"wide y", []string{"1s", "2s", "5s"}, func(i, j int) float64 { return []float64{0.5, 0.01, 0.0001}[i] }, false, true},
		// logX's threshold is a factor of 100: 1s to 60s stays linear, 1s to 101s not.
		{"x by 60", []string{"1s", "10s", "60s"}, func(i, j int) float64 { return 0.02 }, false, false},
		{"x by 101", []string{"1s", "10s", "101s"}, func(i, j int) float64 { return 0.02 }, true, false},
		// logY's is a factor of 20 between the lowest mean and the highest p95 (1.5×mean).
		{"y by 18", []string{"1s", "2s"}, func(i, j int) float64 { return []float64{0.12, 0.01}[i] }, false, false},
		{"y by 21", []string{"1s", "2s"}, func(i, j int) float64 { return []float64{0.14, 0.01}[i] }, false, true},
		// A zero on the x axis forbids a log scale.
		{"zero x", []string{"0", "1s", "60s"}, func(i, j int) float64 { return 0.02 }, false, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, err := UnavailabilityPlot(grid(c.leases, guards, c.unavail, nil), "lease", "guard", "t")
			if err != nil {
				t.Fatal(err)
			}
			if isLog(p.X.Scale) != c.logX || isLog(p.Y.Scale) != c.logY {
				t.Errorf("log x %v, log y %v; want %v, %v", isLog(p.X.Scale), isLog(p.Y.Scale), c.logX, c.logY)
			}
			var b bytes.Buffer
			if err := WritePlot(&b, p, "svg"); err != nil {
				t.Fatal(err)
			}
			if text := svgText(t, b.Bytes()); strings.Contains(text, "NaN") || strings.Contains(text, "Inf") {
				t.Errorf("NaN or Inf on the plot:\n%s", text)
			}
		})
	}
}

func TestUnavailabilityPlotMarksUnsafePoints(t *testing.T) {
	leases, guards := []string{"1s", "2s", "5s"}, []string{"0", "500ms"}
	flat := func(i, j int) float64 { return 0.03 }
	svg := func(violating map[string]bool) (string, string) {
		p, err := UnavailabilityPlot(grid(leases, guards, flat, violating), "lease", "guard", "unavailability vs lease")
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := WritePlot(&b, p, "svg"); err != nil {
			t.Fatal(err)
		}
		return b.String(), svgText(t, b.Bytes())
	}
	raw, text := svg(map[string]bool{"1s": true})
	for _, want := range []string{"guard=0", "guard=500ms", "some seed violated a property", "unavailability vs lease", "lease (s)"} {
		if !strings.Contains(text, want) {
			t.Errorf("SVG has no text %q:\n%s", want, text)
		}
	}
	if !strings.Contains(strings.ToUpper(raw), "D62728") {
		t.Error("no red mark for the unsafe point")
	}
	raw, text = svg(nil)
	if strings.Contains(text, "violated") || strings.Contains(strings.ToUpper(raw), "D62728") {
		t.Error("a safe sweep has an unsafe mark")
	}
}

func TestUnavailabilityPlotSkipsInvalidPoints(t *testing.T) {
	ps := grid([]string{"1s", "2s"}, []string{"0"}, func(i, j int) float64 { return 0.1 }, nil)
	bad := point("3s", "0", 0)
	bad.Error = "renew must be below lease"
	ps = append(ps, bad)
	if _, err := UnavailabilityPlot(ps, "lease", "guard", "t"); err != nil {
		t.Errorf("an invalid point (which never ran) broke the plot: %v", err)
	}
	ps = append(ps, point("fast", "0", 10))
	if _, err := UnavailabilityPlot(ps, "lease", "guard", "t"); err == nil || !strings.Contains(err.Error(), `"fast"`) {
		t.Errorf("a value that is not a number: error %v", err)
	}
}

// TestSweptViolationPlot: a third swept parameter makes lines of its own rather than
// joining its values into one zig-zag line.
func TestSweptViolationPlot(t *testing.T) {
	ps := grid([]string{"1s", "2s", "5s"}, []string{"0", "500ms"}, func(i, j int) float64 { return 0.01 }, nil)
	for i := range ps {
		ps[i].Set["renew"] = "100ms"
	}
	extra := append([]result.SweepPoint{}, ps...)
	for i := range extra {
		set := map[string]string{}
		for k, v := range ps[i].Set {
			set[k] = v
		}
		set["renew"] = "300ms"
		extra[i].Set = set
	}
	ps = append(ps, extra...)
	p, err := SweptViolationPlot(ps, []string{"lease", "guard", "renew"}, "t")
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WritePlot(&b, p, "svg"); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"guard=0, renew=100ms", "guard=500ms, renew=300ms"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("no line %q in the legend", want)
		}
	}
}

func TestViolationPlot(t *testing.T) {
	ps := grid([]string{"1s", "2s", "5s"}, []string{"0", "500ms"}, func(i, j int) float64 { return 0.01 }, map[string]bool{"1s": true, "2s": true})
	p, err := ViolationPlot(ps, "lease", "guard", "safety vs lease")
	if err != nil {
		t.Fatal(err)
	}
	// Fractions run to 1; the band above it holds the legend, off the data.
	if p.Y.Min != 0 || p.Y.Max <= 1 {
		t.Errorf("y range [%v, %v], want [0, more than 1]", p.Y.Min, p.Y.Max)
	}
	var b bytes.Buffer
	if err := WritePlot(&b, p, "png"); err != nil {
		t.Fatal(err)
	}
	if _, err := png.Decode(&b); err != nil {
		t.Fatal(err)
	}
	if err := WritePlot(&b, p, "gif"); err == nil || !strings.Contains(err.Error(), "svg or png") {
		t.Errorf("format gif: error %v", err)
	}
}

// TestViolationSeries: the violation plot's line is the rate of violating seeds and its
// band runs from the lower to the upper Clopper–Pearson bound (one-sided, 95%) — above
// zero where no seed violated, below one where every seed did.
func TestViolationSeries(t *testing.T) {
	pt := func(lease string, k, n int) result.SweepPoint {
		return result.SweepPoint{Set: map[string]string{"lease": lease}, Seeds: n, ViolatingSeeds: k}
	}
	line, band, err := violationSeries([]result.SweepPoint{pt("1s", 20, 20), pt("2s", 2, 20), pt("5s", 0, 20)}, "lease")
	if err != nil {
		t.Fatal(err)
	}
	// Bounds of 20/20, 2/20 and 0/20 (binomial tails): lower 0.05^(1/20), 0.0181, 0;
	// upper 1, 0.2826, 1−0.05^(1/20).
	wantLine := plotter.XYs{{X: 1, Y: 1}, {X: 2, Y: 0.1}, {X: 5, Y: 0}}
	wantBand := plotter.XYs{{X: 1, Y: 0.8609}, {X: 2, Y: 0.0181}, {X: 5, Y: 0}, {X: 5, Y: 0.1391}, {X: 2, Y: 0.2826}, {X: 1, Y: 1}}
	same := func(a, b plotter.XYs) bool {
		if len(a) != len(b) {
			return false
		}
		for i := range a {
			if a[i].X != b[i].X || math.Abs(a[i].Y-b[i].Y) > 1e-4 {
				return false
			}
		}
		return true
	}
	if !same(line, wantLine) || !same(band, wantBand) {
		t.Errorf("line %v band %v;\nwant line %v band %v", line, band, wantLine, wantBand)
	}
	p, err := SweptViolationPlot([]result.SweepPoint{pt("1s", 20, 20), pt("2s", 2, 20), pt("5s", 0, 20)}, []string{"lease"}, "t")
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WritePlot(&b, p, "svg"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "Clopper–Pearson bounds, each one-sided at 95%") {
		t.Errorf("the legend does not name the band")
	}
}
