package main

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/leasesim/leasesim/result"
	"github.com/leasesim/leasesim/stats"
)

// num prints a figure with three significant digits, and thousands separated by
// commas: 0.734, 4.05, 45.4, 118, 1,276, 13,100.
func num(v float64) string {
	a := math.Abs(v)
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return "–"
	case a >= 1000:
		digits := int(math.Floor(math.Log10(a))) + 1
		scale := math.Pow(10, float64(digits-3))
		return commas(int64(math.Round(v/scale) * scale))
	case a >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case a >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	case a >= 1:
		return strconv.FormatFloat(v, 'f', 2, 64)
	case a == 0:
		return "0"
	default:
		return strconv.FormatFloat(v, 'g', 3, 64)
	}
}

// commas prints an integer with its thousands separated by commas (result.Thousands).
func commas(n int64) string { return result.Thousands(int(n)) }

// times prints a ratio: 11.0×, 4.7×, 0.63×.
func times(v float64) string { return num(v) + "×" }

// list prints figures in order, each with f: "78, 81, 77".
func list(vs []float64, f func(float64) string) string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = f(v)
	}
	return strings.Join(out, ", ")
}

// spread prints the median of vs and, for more than one figure, its range:
// "4.72 (4.42–5.03)".
func spread(vs []float64, f func(float64) string) string {
	if len(vs) == 1 {
		return f(vs[0])
	}
	return fmt.Sprintf("%s (%s–%s)", f(stats.Median(vs)), f(slices.Min(vs)), f(slices.Max(vs)))
}

// spreadTimes is spread for ratios: "5.2× (4.5–6.3)".
func spreadTimes(vs []float64) string {
	if len(vs) == 1 {
		return times(vs[0])
	}
	return fmt.Sprintf("%s (%s–%s)", times(stats.Median(vs)), num(slices.Min(vs)), num(slices.Max(vs)))
}

// count prints a whole number with its thousands separated: "35,811".
func count(v float64) string { return commas(int64(math.Round(v))) }

// quotients are a[i] / b[i], per round.
func quotients(a, b []float64) []float64 {
	out := make([]float64, len(a))
	for i := range a {
		out[i] = a[i] / b[i]
	}
	return out
}

// secs prints a duration in seconds: "3.41 s".
func secs(d time.Duration) string { return num(d.Seconds()) + " s" }

// mb prints bytes in MB (10⁶ bytes), as /usr/bin/time's KB are read: "532 MB".
func mb(bytes float64) string { return num(bytes/1e6) + " MB" }

// millis prints nanoseconds as milliseconds, or seconds from 1,000 ms up: "218 ms", "2.04 s".
func millis(ns float64) string {
	if ns >= 1e9 {
		return num(ns/1e9) + " s"
	}
	return num(ns/1e6) + " ms"
}

// met says whether a target is met.
func met(ok bool) string {
	if ok {
		return "yes"
	}
	return "**no**"
}

// row prints one markdown table row.
func row(cells ...string) string { return "| " + strings.Join(cells, " | ") + " |\n" }

// rule prints a header row's rule for n columns.
func rule(n int) string { return "|" + strings.Repeat("---|", n) + "\n" }

// durations converts to float64 nanoseconds for stats.
func durations(ds []time.Duration) []float64 {
	out := make([]float64, len(ds))
	for i, d := range ds {
		out[i] = float64(d)
	}
	return out
}

// plural prints n and a noun: "1 round", "3 rounds".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
