package main

import (
	"fmt"
	"strings"

	"github.com/leasesim/leasesim/stats"
)

// checkerBenches are the checker package's benchmarks, each with what it measures.
var checkerBenches = []struct{ name, what string }{
	{"BenchmarkSweep1M", "P1 sweep over 1M claims"},
	{"BenchmarkPorcupineP1_10k", "porcupine P1 over 10k claims, partitioned, in batches"},
	{"BenchmarkPorcupineP1_100k", "porcupine P1 over 100k claims"},
	{"BenchmarkPorcupineP1_1M", "porcupine P1 over 1M claims"},
	{"BenchmarkCheck100k", "the whole `Check` of a 100k-claim history (sweep, porcupine, P2, P4, metrics)"},
}

// checkerCount is how many times each checker benchmark runs.
const checkerCount = 3

// checkerTable runs every checker benchmark checkerCount times on one core.
func checkerTable(r *runner, o options) (string, error) {
	r.step("checker: every benchmark, -count %d (about a minute)", checkerCount)
	lines, err := r.goBench("checker.test", ".", "-test.cpu", "1", "-test.benchmem", "-test.count", fmt.Sprint(checkerCount))
	if err != nil {
		return "", err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\nEach benchmark %d times on one core, the median: CPU is the process's CPU time per run (`cpu-ms/op`), which load moves less than the wall time (`ns/op`); memory is the bytes allocated per run (`B/op`), not the peak:\n\n", checkerCount)
	b.WriteString(codeBlock(fmt.Sprintf("go test -run '^$' -bench . -cpu 1 -benchmem -count %d ./checker/", checkerCount)))
	b.WriteString("\n")
	b.WriteString(row("benchmark", "what", "CPU", "wall", "allocated", "allocations"))
	b.WriteString(rule(6))
	var sweep float64
	for _, cb := range checkerBenches {
		cpu, err0 := metric(lines, cb.name, "cpu-ms/op")
		ns, err1 := metric(lines, cb.name, "ns/op")
		by, err2 := metric(lines, cb.name, "B/op")
		al, err3 := metric(lines, cb.name, "allocs/op")
		for _, err := range []error{err0, err1, err2, err3} {
			if err != nil {
				return "", err
			}
		}
		if cb.name == "BenchmarkSweep1M" {
			sweep = stats.Median(cpu) * 1e6
		}
		b.WriteString(row("`"+strings.TrimPrefix(cb.name, "Benchmark")+"`", cb.what, millis(stats.Median(cpu)*1e6), millis(stats.Median(ns)), mb(stats.Median(by)), count(stats.Median(al))))
	}
	fmt.Fprintf(&b, "\nTarget (docs/semantics.md): the sweep checks 1M claims in ≤ 1 s: %s of CPU, %s.\n", millis(sweep), map[bool]string{true: "met", false: "**not met**"}[sweep <= 1e9])
	return b.String(), nil
}
