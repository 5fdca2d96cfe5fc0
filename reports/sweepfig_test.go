package reports

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/leasesim/leasesim/result"
)

// uCurve is a sweep over lease (x), renew (series) and guard (facets), with a U-shaped
// unavailability, the issuer's load falling with the lease, and violations at the
// shortest lease with the larger renew.
func uCurve() []result.SweepPoint {
	var pts []result.SweepPoint
	leases := []string{"100ms", "500ms", "1s", "2s", "5s", "20s"}
	for _, guard := range []string{"5ms", "50ms"} {
		for ri, renew := range []string{"lease/3", "lease/2"} {
			for i, l := range leases {
				u := []float64{0.2, 0.05, 0.02, 0.01, 0.03, 0.1}[i] * (1 + float64(ri)/2)
				p := result.SweepPoint{Scenario: "s", Set: map[string]string{"lease": l, "renew": renew, "guard": guard, "seeds": "x"},
					Seeds: 10, UnavailMean: u, UnavailP5: u / 2, UnavailP95: u * 2,
					IssuerMsgsPerSec: []float64{300, 60, 30, 15, 6, 1.5}[i] / float64(ri+1)}
				if i == 0 && ri == 1 {
					p.ViolatingSeeds = 2
				}
				pts = append(pts, p)
			}
		}
	}
	return pts
}

func TestNewSweepLayout(t *testing.T) {
	pts := uCurve()
	for _, p := range pts {
		p.Set["seeds"] = "x"
	}
	l := NewSweepLayout(pts, []string{"lease", "seeds", "renew", "guard"})
	if l.X != "lease" || l.Series != "renew" || fmt.Sprint(l.Facets) != "[guard]" || fmt.Sprint(l.Fixed) != "[seeds]" {
		t.Fatalf("layout %+v; want x lease, series renew, facets [guard], fixed [seeds]", l)
	}
}

func TestBestPoint(t *testing.T) {
	pts := uCurve()
	pts[0].UnavailMean = 0.0001 // lowest, and clean
	pts[0].ViolatingSeeds = 1   // but now violated: it must not be the best
	best, ok := BestPoint(pts)
	if !ok || best.Set["lease"] != "2s" || best.Set["renew"] != "lease/3" || best.Set["guard"] != "5ms" {
		t.Fatalf("best %v (ok %v); want lease=2s renew=lease/3 guard=5ms, the lowest mean without violations", best.Set, ok)
	}
}

func TestWriteSweepFigure(t *testing.T) {
	pts := uCurve()
	pts[3].UnavailMean = 0.0123456 // the first facet's best: printed as the sweep table prints it
	var b bytes.Buffer
	if err := WriteSweepFigure(&b, pts, []string{"lease", "renew", "guard"}, "s: unavailability vs lease", "svg"); err != nil {
		t.Fatal(err)
	}
	svg := b.String()
	for _, want := range []string{
		"guard=5ms", "guard=50ms", "issuer messages/s", // a row per facet, two panels
		"best: lease=2s, 1.235%", "best: lease=2s, 1.000%", // the minimum of each facet's U, marked, with the table's three decimals
		"15.0 msg/s",    // its issuer load, as the text prints it
		"renew=lease/2", // one line per series value, in the legend
		"some seed violated a property",
	} {
		if !strings.Contains(svg, want) {
			t.Errorf("the figure lacks %q", want)
		}
	}
	if n := strings.Count(svg, "issuer messages/s"); n != 2 {
		t.Errorf("%d issuer panels; want one per facet (2)", n)
	}
	if n := strings.Count(svg, "best: lease="); n != 2 {
		t.Errorf("%d best-point labels; want one per facet (2)", n)
	}
	if os.Getenv("SWEEPFIG_OUT") != "" {
		os.WriteFile(os.Getenv("SWEEPFIG_OUT"), b.Bytes(), 0o644)
		b.Reset()
		WriteSweepFigure(&b, pts, []string{"lease", "renew", "guard"}, "s: unavailability vs lease", "png")
		os.WriteFile(os.Getenv("SWEEPFIG_OUT")+".png", b.Bytes(), 0o644)
	}
}

// TestUnavailSeries: the unavailability panel's line is the mean over seeds and its band
// runs from the 5th to the 95th percentile over seeds, in the order of x.
func TestUnavailSeries(t *testing.T) {
	pt := func(lease string, mean, p5, p95 float64) result.SweepPoint {
		return result.SweepPoint{Set: map[string]string{"lease": lease}, Seeds: 10, UnavailMean: mean, UnavailP5: p5, UnavailP50: mean / 2, UnavailP95: p95, UnavailMax: 1}
	}
	line, band, err := unavailSeries([]result.SweepPoint{pt("1s", 0.2, 0.1, 0.4), pt("2s", 0.05, 0.01, 0.09)}, "lease")
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(line) != "[{1 0.2} {2 0.05}]" || fmt.Sprint(band) != "[{1 0.1} {2 0.01} {2 0.09} {1 0.4}]" {
		t.Errorf("line %v band %v; want the means, and p5 left to right then p95 right to left", line, band)
	}
	if _, _, err := unavailSeries([]result.SweepPoint{pt("fast", 0, 0, 0)}, "lease"); err == nil {
		t.Errorf("a value that is not a number: no error")
	}
}

// TestTickLabels: a tick is labelled with its own value in full, float noise dropped and
// no exponent, never with a neighbour three or four significant digits round to.
func TestTickLabels(t *testing.T) {
	for _, c := range []struct {
		v           float64
		pct, number string
	}{
		{0.01025, "1.025%", "0.01025"},
		{0.1 + 0.2, "30%", "0.3"},
		{0.000001, "0.0001%", "0.000001"},
		{0.12345, "12.345%", "0.12345"},
		{1500, "150000%", "1500"},
		{0, "0%", "0"},
	} {
		if got := tickPercent(c.v); got != c.pct {
			t.Errorf("tickPercent(%v) = %q, want %q", c.v, got, c.pct)
		}
		if got := tickNumber(c.v); got != c.number {
			t.Errorf("tickNumber(%v) = %q, want %q", c.v, got, c.number)
		}
	}
}
