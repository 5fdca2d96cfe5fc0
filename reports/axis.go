package reports

import (
	"math"
	"time"

	"gonum.org/v1/plot"

	"github.com/leasesim/leasesim/result"
)

// DurationTicks is a plot.Ticker for axes whose values are seconds of true time (the
// timelines, gap lengths, swept lease lengths). It puts major ticks on round durations
// (1, 2 or 5 times a power of ten below a second; 1, 2, 5, 10, 15 or 30 seconds or
// minutes; 1, 2, 3, 6, 12 or 24 hours; then whole days) and labels them as Go durations
// without trailing zero units: "250ms", "24.02s", "1m30s", "2m", "1h30m".
type DurationTicks struct {
	// Count is the most major ticks wanted; 0 means 8.
	Count int
}

// niceStep is a major tick spacing and the number of minor intervals between majors.
type niceStep struct {
	ns    int64
	minor int64
}

// niceSteps lists the spacings DurationTicks chooses from, smallest first.
var niceSteps = func() []niceStep {
	var s []niceStep
	for d := int64(1); d < int64(time.Second); d *= 10 {
		s = append(s, niceStep{d, 5}, niceStep{2 * d, 4}, niceStep{5 * d, 5})
	}
	sec, min, hour := int64(time.Second), int64(time.Minute), int64(time.Hour)
	s = append(s,
		niceStep{sec, 5}, niceStep{2 * sec, 4}, niceStep{5 * sec, 5}, niceStep{10 * sec, 5},
		niceStep{15 * sec, 3}, niceStep{30 * sec, 3},
		niceStep{min, 4}, niceStep{2 * min, 4}, niceStep{5 * min, 5}, niceStep{10 * min, 5},
		niceStep{15 * min, 3}, niceStep{30 * min, 3},
		niceStep{hour, 4}, niceStep{2 * hour, 4}, niceStep{3 * hour, 3}, niceStep{6 * hour, 6},
		niceStep{12 * hour, 4}, niceStep{24 * hour, 4})
	for d := 2 * 24 * hour; d > 0 && d < math.MaxInt64/10; d *= 10 {
		s = append(s, niceStep{d, 2}, niceStep{5 * d / 2, 5}, niceStep{5 * d, 5})
	}
	return s
}()

// Ticks implements plot.Ticker over [min, max] seconds.
func (t DurationTicks) Ticks(min, max float64) []plot.Tick {
	count := t.Count
	if count <= 0 {
		count = 8
	}
	if math.IsNaN(min) || math.IsNaN(max) || math.IsInf(min, 0) || math.IsInf(max, 0) || max < min {
		return nil
	}
	// Beyond ±31 years (a Duration overflows at 292) the axis is not a duration axis.
	if math.Abs(min) > 1e9 || math.Abs(max) > 1e9 {
		return plot.DefaultTicks{}.Ticks(min, max)
	}
	lo, hi := int64(math.Round(min*1e9)), int64(math.Round(max*1e9))
	span := hi - lo
	step := niceSteps[len(niceSteps)-1]
	for _, s := range niceSteps {
		if span/s.ns < int64(count) {
			step = s
			break
		}
	}
	minorNs := step.ns / step.minor
	if minorNs == 0 || step.ns%step.minor != 0 {
		minorNs = step.ns // nanosecond steps have no whole minor ticks
	}
	var ticks []plot.Tick
	for v := ceilDiv(lo, minorNs) * minorNs; v <= hi; v += minorNs {
		tk := plot.Tick{Value: float64(v) / 1e9}
		if v%step.ns == 0 {
			tk.Label = result.FormatDuration(time.Duration(v))
		}
		ticks = append(ticks, tk)
	}
	return ticks
}

// ceilDiv returns ⌈a/b⌉ for b > 0.
func ceilDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a > 0 {
		q++
	}
	return q
}
