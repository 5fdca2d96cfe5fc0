package reports

import (
	"math"
	"slices"
	"testing"
	"time"
)

func TestDurationTicks(t *testing.T) {
	for _, c := range []struct {
		name     string
		min, max time.Duration
		labels   []string
		ticks    int // major and minor
	}{
		{"a minute", 0, time.Minute, []string{"0s", "10s", "20s", "30s", "40s", "50s", "1m"}, 31},
		{"zoom on 50ms", 24 * time.Second, 24*time.Second + 50*time.Millisecond,
			[]string{"24s", "24.01s", "24.02s", "24.03s", "24.04s", "24.05s"}, 26},
		{"ten minutes", 0, 10 * time.Minute, []string{"0s", "2m", "4m", "6m", "8m", "10m"}, 21},
		{"three hours", 0, 3 * time.Hour, []string{"0s", "30m", "1h", "1h30m", "2h", "2h30m", "3h"}, 19},
		{"half a millisecond", 0, 500 * time.Microsecond, []string{"0s", "100µs", "200µs", "300µs", "400µs", "500µs"}, 26},
		{"around zero", -1500 * time.Millisecond, 1500 * time.Millisecond,
			[]string{"-1.5s", "-1s", "-500ms", "0s", "500ms", "1s", "1.5s"}, 31},
		{"unaligned ends", 1300 * time.Millisecond, 9700 * time.Millisecond,
			[]string{"2s", "4s", "6s", "8s"}, 17},
		{"one instant", 5 * time.Second, 5 * time.Second, []string{"5s"}, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			ticks := DurationTicks{}.Ticks(c.min.Seconds(), c.max.Seconds())
			var labels []string
			for _, tk := range ticks {
				if tk.Value < c.min.Seconds()-1e-12 || tk.Value > c.max.Seconds()+1e-12 {
					t.Errorf("tick %v outside [%v, %v]", tk.Value, c.min, c.max)
				}
				if tk.Label != "" {
					labels = append(labels, tk.Label)
				}
			}
			if !slices.Equal(labels, c.labels) {
				t.Errorf("labels %q, want %q", labels, c.labels)
			}
			if len(ticks) != c.ticks {
				t.Errorf("%d ticks, want %d", len(ticks), c.ticks)
			}
			if len(labels) > 8 {
				t.Errorf("%d major ticks, more than the default 8", len(labels))
			}
		})
	}
}

func TestDurationTicksCount(t *testing.T) {
	for _, count := range []int{2, 4, 12} {
		for _, span := range []time.Duration{time.Millisecond, 7 * time.Second, 42 * time.Minute, 100 * time.Hour} {
			majors := 0
			for _, tk := range (DurationTicks{Count: count}).Ticks(0, span.Seconds()) {
				if tk.Label != "" {
					majors++
				}
			}
			if majors < 1 || majors > count {
				t.Errorf("count %d, span %v: %d major ticks", count, span, majors)
			}
		}
	}
}

func TestDurationTicksBadRange(t *testing.T) {
	for _, r := range [][2]float64{{2, 1}, {math.NaN(), 1}, {0, math.Inf(1)}} {
		if ticks := (DurationTicks{}).Ticks(r[0], r[1]); ticks != nil {
			t.Errorf("range %v: ticks %v, want none", r, ticks)
		}
	}
	// Far beyond any run, the axis falls back to plain numbers rather than overflow.
	if ticks := (DurationTicks{}).Ticks(0, 1e12); len(ticks) == 0 {
		t.Error("no ticks for a huge range")
	}
}
