package main

import (
	"fmt"
	"strings"
)

// options are how many interleaved rounds the tables run.
type options struct {
	// Rounds is the rounds of the kernel and protocols tables; CheckRounds of check1m;
	// CatalogRounds of catalog.
	Rounds, CheckRounds, CatalogRounds int
}

// table is one generated block of BENCHMARKS.md: its id (the markers' name), a line
// saying what it measures (for -h and the progress lines) and the measurement, which
// returns the block's text after its header line.
type table struct {
	id, what string
	measure  func(r *runner, o options) (string, error)
}

// tables are every table, in the order they run and appear in BENCHMARKS.md.
var tables = []table{
	{"kernel", "sim: BenchmarkReference, SynctestLease, BareLoop, KernelPing, interleaved", kernelTable},
	{"scaling", "sim: BenchmarkScaleHours, BenchmarkScaleHolders", scalingTable},
	{"checker", "checker: every benchmark", checkerTable},
	{"check1m", "leasesim check of a 1M-claim history against a bare decode, interleaved", check1MTable},
	{"bench", "leasesim bench, as it prints", benchTable},
	{"events", "leasesim bench reference --events: the reference's events by kind and message type", eventsTable},
	{"protocols", "leasesim bench of the reference and the heavier protocols, interleaved", protocolsTable},
	{"catalog", "leasesim suite of the whole catalog, CPU and peak RSS", catalogTable},
}

// tableByID finds a table.
func tableByID(id string) (table, bool) {
	for _, t := range tables {
		if t.id == id {
			return t, true
		}
	}
	return table{}, false
}

// ids lists the tables' ids.
func ids() []string {
	out := make([]string, len(tables))
	for i, t := range tables {
		out[i] = t.id
	}
	return out
}

// goBench runs one test binary's benchmarks matching pattern, with extra flags, and
// parses its result lines.
func (r *runner) goBench(binary, pattern string, extra ...string) ([]benchLine, error) {
	path, err := r.bin(binary)
	if err != nil {
		return nil, err
	}
	args := append([]string{"-test.run", "^$", "-test.bench", pattern}, extra...)
	u, err := r.exec([]int{0}, path, args...)
	if err != nil {
		return nil, err
	}
	return parseBench(string(u.Stdout))
}

// codeBlock is a fenced sh block of lines.
func codeBlock(lines ...string) string {
	return "```sh\n" + strings.Join(lines, "\n") + "\n```\n"
}

// roundsHeader is a table's header row and rule for a label column, one column per round
// and a last column.
func roundsHeader(label string, rounds int, last string) string {
	cells := []string{label}
	for i := 1; i <= rounds; i++ {
		cells = append(cells, fmt.Sprintf("round %d", i))
	}
	cells = append(cells, last)
	return row(cells...) + rule(len(cells))
}

// roundsRow is a row of per-round figures and their median (and range).
func roundsRow(label string, vs []float64, f func(float64) string) string {
	cells := []string{label}
	for _, v := range vs {
		cells = append(cells, f(v))
	}
	last := spread(vs, f)
	if isTimes(f) {
		last = spreadTimes(vs)
	}
	cells = append(cells, "**"+last+"**")
	return row(cells...)
}

// isTimes says whether f prints ratios (times).
func isTimes(f func(float64) string) bool { return strings.HasSuffix(f(1), "×") }
