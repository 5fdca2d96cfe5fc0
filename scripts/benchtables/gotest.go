package main

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// benchLine is one result line of `go test -bench`: the benchmark's name (without its
// -GOMAXPROCS suffix), its iterations and its metrics by unit.
type benchLine struct {
	Name    string
	N       int
	Metrics map[string]float64
}

// procsSuffix is the -N go test appends to a benchmark's name when GOMAXPROCS is not 1.
var procsSuffix = regexp.MustCompile(`-\d+$`)

// parseBench returns the result lines of `go test -bench` output, in order. Other lines
// (goos, pkg, PASS, a benchmark's log) are skipped; a result line whose metrics do not
// come in value–unit pairs is an error.
func parseBench(out string) ([]benchLine, error) {
	var res []benchLine
	for i, l := range strings.Split(out, "\n") {
		f := strings.Fields(l)
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		n, err := strconv.Atoi(f[1])
		if err != nil {
			continue // a benchmark's own log line
		}
		if len(f)%2 != 0 {
			return nil, fmt.Errorf("go test output line %d: %q: expected a name, the iterations and value–unit pairs", i+1, l)
		}
		bl := benchLine{Name: procsSuffix.ReplaceAllString(f[0], ""), N: n, Metrics: map[string]float64{}}
		for j := 2; j < len(f); j += 2 {
			v, err := strconv.ParseFloat(f[j], 64)
			if err != nil {
				return nil, fmt.Errorf("go test output line %d: %q: metric %q is not a number", i+1, l, f[j])
			}
			bl.Metrics[f[j+1]] = v
		}
		res = append(res, bl)
	}
	return res, nil
}

// metric returns unit of the lines named name, in order; none is an error naming both.
func metric(lines []benchLine, name, unit string) ([]float64, error) {
	var out []float64
	for _, l := range lines {
		if l.Name != name {
			continue
		}
		v, ok := l.Metrics[unit]
		if !ok {
			return nil, fmt.Errorf("%s reported no %s (it reported %v)", name, unit, keys(l.Metrics))
		}
		out = append(out, v)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no result line of %s in go test's output", name)
	}
	return out, nil
}

// keys are a metric map's units, sorted.
func keys(m map[string]float64) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
