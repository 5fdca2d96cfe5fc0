package reports

import (
	"bytes"
	"encoding/xml"
	"image/png"
	"io"
	"math"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/result"
)

// fiveSeeds are the runs of one scenario: seeds 4 and 5 violated P1; seeds 3 and 4 tie on
// their unavailable fraction.
func fiveSeeds() []result.RunResult {
	run := func(seed uint64, frac float64, gap int64, violated bool) result.RunResult {
		r := result.RunResult{Scenario: "s", Protocol: "lease", Seed: seed, Verdict: checker.Ok,
			Metrics: checker.Metrics{UnavailableFraction: frac, MaxGapNs: gap}}
		if violated {
			r.Verdict = checker.Violated
			r.Findings = []checker.Finding{{Kind: checker.P1, Holders: []string{"A", "B"}}}
		}
		return r
	}
	rs := []result.RunResult{
		run(1, 0.04, 4*sec, false),
		run(2, 0.01, 1*sec, false),
		run(3, 0.02, 2*sec, false),
		run(4, 0.02, 3*sec, true),
		run(5, 0.10, 9*sec, true),
	}
	rs[1].Metrics.Recoveries = []checker.Recovery{
		{Caused: true, RecoveryNs: 7 * sec}, {Caused: false}, {Caused: true, RecoveryNs: 2 * sec}}
	return rs
}

func TestSeedValues(t *testing.T) {
	rs := fiveSeeds()
	for _, c := range []struct {
		metric SeedMetric
		want   []float64
	}{
		{SeedUnavailableFraction, []float64{0.04, 0.01, 0.02, 0.02, 0.10}},
		{SeedMaxGap, []float64{4, 1, 2, 3, 9}},
		{SeedMaxRecovery, []float64{0, 7, 0, 0, 0}},
	} {
		got, err := SeedValues(rs, c.metric)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.metric, got, c.want)
		}
	}
	if _, err := SeedValues(rs, "p99_gap"); err == nil || !strings.Contains(err.Error(), `"p99_gap"`) || !strings.Contains(err.Error(), "max_gap") {
		t.Errorf("unknown metric: error %v should name it and the known ones", err)
	}
	rs[2].Metrics.UnavailableFraction = math.NaN()
	if _, err := SeedValues(rs, SeedUnavailableFraction); err == nil || !strings.Contains(err.Error(), "seed 3") {
		t.Errorf("NaN: error %v should name the seed", err)
	}
}

func TestSeedCDF(t *testing.T) {
	rs := fiveSeeds()
	vs, _ := SeedValues(rs, SeedUnavailableFraction)
	steps, unsafe := seedCDF(rs, vs)
	want := plotter.XYs{{X: 0.01, Y: 0}, {X: 0.01, Y: 0.2}, {X: 0.02, Y: 0.2}, {X: 0.02, Y: 0.4}, {X: 0.02, Y: 0.4},
		{X: 0.02, Y: 0.6}, {X: 0.04, Y: 0.6}, {X: 0.04, Y: 0.8}, {X: 0.10, Y: 0.8}, {X: 0.10, Y: 1}}
	if !xysNear(steps, want) {
		t.Errorf("steps %v\nwant  %v", steps, want)
	}
	// Seed 4 sorts after seed 3 on the tie, so its cross is at F = 3/5.
	if wantUnsafe := (plotter.XYs{{X: 0.02, Y: 0.6}, {X: 0.10, Y: 1}}); !xysNear(unsafe, wantUnsafe) {
		t.Errorf("unsafe %v, want %v", unsafe, wantUnsafe)
	}
	// The same runs in another order give the same picture.
	rev := slices.Clone(rs)
	slices.Reverse(rev)
	rvs, _ := SeedValues(rev, SeedUnavailableFraction)
	if s2, u2 := seedCDF(rev, rvs); !xysNear(s2, steps) || !xysNear(u2, unsafe) {
		t.Error("the CDF depends on the order of the runs")
	}
}

func xysNear(a, b plotter.XYs) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Abs(a[i].X-b[i].X) > 1e-12 || math.Abs(a[i].Y-b[i].Y) > 1e-12 {
			return false
		}
	}
	return true
}

// svgText returns the text of an SVG document, failing the test if it is not
// well-formed XML.
func svgText(t *testing.T, svg []byte) string {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(svg))
	var text strings.Builder
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return text.String()
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
		if cd, ok := tok.(xml.CharData); ok && len(bytes.TrimSpace(cd)) > 0 {
			text.Write(cd)
			text.WriteByte('\n')
		}
	}
}

func TestSeedDistributionPlots(t *testing.T) {
	rs := fiveSeeds()
	for _, c := range []struct {
		name   string
		metric SeedMetric
		hist   bool
		want   []string
	}{
		// p50 of {1,2,2,4,10}% is 2%, p99 is 10%.
		{"cdf fraction", SeedUnavailableFraction, false, []string{"p50 = 2.000%", "p99 = 10.000%", "seed violated a property (2)", "5 seeds", "%"}},
		// Gaps {1,2,3,4,9}s: p50 3s, p99 9s; the axis is in durations.
		{"cdf gap", SeedMaxGap, false, []string{"p50 = 3s", "p99 = 9s", "longest unavailable stretch", "2s", "8s"}},
		{"hist gap", SeedMaxGap, true, []string{"p50 = 3s", "p99 = 9s", "seeds (of 5)"}},
		{"hist recovery", SeedMaxRecovery, true, []string{"p50 = 0s", "p99 = 7s", "longest recovery after a fault"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var b bytes.Buffer
			var err error
			if c.hist {
				p, perr := SeedHistogramPlot(rs, c.metric, 0, "title "+c.name)
				if perr != nil {
					t.Fatal(perr)
				}
				err = WritePlot(&b, p, "svg")
			} else {
				p, perr := SeedCDFPlot(rs, c.metric, "title "+c.name)
				if perr != nil {
					t.Fatal(perr)
				}
				err = WritePlot(&b, p, "svg")
			}
			if err != nil {
				t.Fatal(err)
			}
			text := svgText(t, b.Bytes())
			for _, w := range append(c.want, "title "+c.name) {
				if !strings.Contains(text, w) {
					t.Errorf("SVG has no text %q; it has:\n%s", w, text)
				}
			}
		})
	}
}

func TestSeedDistributionPNG(t *testing.T) {
	p, err := SeedCDFPlot(fiveSeeds(), SeedMaxGap, "gaps")
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WritePlot(&b, p, "png"); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&b)
	if err != nil {
		t.Fatal(err)
	}
	if img.Bounds().Dx() < 100 || img.Bounds().Dy() < 100 {
		t.Errorf("image %v", img.Bounds())
	}
}

func TestSeedDistributionEdges(t *testing.T) {
	if _, err := SeedCDFPlot(nil, SeedMaxGap, "x"); err == nil {
		t.Error("no runs: want an error")
	}
	if _, err := SeedHistogramPlot(fiveSeeds(), SeedMaxGap, -1, "x"); err == nil {
		t.Error("negative bins: want an error")
	}
	// Every seed with the same value (no gap at all): a readable axis, not a panic.
	same := fiveSeeds()
	for i := range same {
		same[i].Metrics = checker.Metrics{}
	}
	for _, hist := range []bool{false, true} {
		var b bytes.Buffer
		p, err := SeedCDFPlot(same, SeedMaxGap, "flat")
		if hist {
			p, err = SeedHistogramPlot(same, SeedMaxGap, 0, "flat")
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := WritePlot(&b, p, "svg"); err != nil {
			t.Fatal(err)
		}
		if text := svgText(t, b.Bytes()); !strings.Contains(text, "p50 = 0s") || strings.Contains(text, "NaN") {
			t.Errorf("flat distribution, hist=%v:\n%s", hist, text)
		}
	}
}

// TestSeedDistributionCounts: the counts a distribution plot prints (seeds, violating
// seeds) have thousands separators, as every count people read.
func TestSeedDistributionCounts(t *testing.T) {
	var rs []result.RunResult
	for i := range 1200 {
		rs = append(rs, result.RunResult{Scenario: "s", Protocol: "lease", Seed: uint64(i + 1), Verdict: checker.Violated,
			Findings: []checker.Finding{{Kind: checker.P1, Holders: []string{"A", "B"}}},
			Metrics:  checker.Metrics{UnavailableFraction: float64(i%7) / 100, MaxGapNs: int64(i%5) * sec}})
	}
	cdf, err := SeedCDFPlot(rs, SeedUnavailableFraction, "cdf")
	if err != nil {
		t.Fatal(err)
	}
	hist, err := SeedHistogramPlot(rs, SeedMaxGap, 0, "hist")
	if err != nil {
		t.Fatal(err)
	}
	var text string
	for _, p := range []*plot.Plot{cdf, hist} {
		var b bytes.Buffer
		if err := WritePlot(&b, p, "svg"); err != nil {
			t.Fatal(err)
		}
		text += svgText(t, b.Bytes())
	}
	for _, w := range []string{"seed violated a property (1,200)", "(1,200 seeds)", "seeds (of 1,200)"} {
		if !strings.Contains(text, w) {
			t.Errorf("SVG has no text %q; it has:\n%s", w, text)
		}
	}
}
