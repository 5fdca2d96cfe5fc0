package main

import (
	"fmt"
	"math"
	"strings"
)

// scalingTable runs the sim package's scaling benchmarks once, on one core: cost against
// simulated time and against the number of holders, with the exponents between them.
func scalingTable(r *runner, o options) (string, error) {
	r.step("scaling: BenchmarkScaleHours and BenchmarkScaleHolders")
	lines, err := r.goBench("sim.test", "^BenchmarkScale", "-test.cpu", "1", "-test.benchtime", "3x", "-test.benchmem")
	if err != nil {
		return "", err
	}
	one := func(name, unit string) (float64, error) {
		v, err := metric(lines, name, unit)
		if err != nil {
			return 0, err
		}
		return v[0], nil
	}
	var b strings.Builder
	b.WriteString("\nOne run of each, on one core; CPU is the process's CPU time (`cpu-ms/simhour`), which load moves less than the wall time (`ms/simhour`), and the exponents k are taken from it:\n\n")
	b.WriteString(codeBlock("go test -run '^$' -bench '^BenchmarkScale' -cpu 1 -benchtime 3x -benchmem ./sim/"))
	b.WriteString("\n")
	b.WriteString(row("simulated time (5 holders)", "CPU ms per simulated hour", "wall ms per simulated hour", "bytes per run", "allocations per run"))
	b.WriteString(rule(5))
	hours := []struct {
		label string
		h     float64
	}{{"1h0m0s", 1}, {"10h0m0s", 10}, {"100h0m0s", 100}}
	var perHour, allocs []float64
	for _, h := range hours {
		name := "BenchmarkScaleHours/" + h.label
		cpu, err0 := one(name, "cpu-ms/simhour")
		ms, err1 := one(name, "ms/simhour")
		by, err2 := one(name, "B/op")
		al, err3 := one(name, "allocs/op")
		for _, err := range []error{err0, err1, err2, err3} {
			if err != nil {
				return "", err
			}
		}
		perHour, allocs = append(perHour, cpu), append(allocs, al)
		b.WriteString(row(fmt.Sprintf("%g h", h.h), num(cpu), num(ms), num(by/1e3)+" KB", count(al)))
	}
	fmt.Fprintf(&b, "\nCost ∝ (simulated time)^k with k = %.2f from 1 h to 100 h; allocations per run grow by %s over 99 more simulated hours (about 5.4 million events).\n\n",
		1+math.Log(perHour[2]/perHour[0])/math.Log(100), count(allocs[2]-allocs[0]))
	b.WriteString(row("holders (10 simulated minutes, scaled to an hour)", "CPU ms per simulated hour", "wall ms per simulated hour", "bytes per run", "k since the row above"))
	b.WriteString(rule(5))
	prev := 0.0
	for i, n := range []int{5, 50, 500} {
		name := fmt.Sprintf("BenchmarkScaleHolders/%dholders", n)
		cpu, err0 := one(name, "cpu-ms/simhour")
		ms, err1 := one(name, "ms/simhour")
		by, err2 := one(name, "B/op")
		for _, err := range []error{err0, err1, err2} {
			if err != nil {
				return "", err
			}
		}
		k := "–"
		if i > 0 {
			k = fmt.Sprintf("%.2f", math.Log(cpu/prev)/math.Log(10))
		}
		prev = cpu
		b.WriteString(row(fmt.Sprint(n), num(cpu), num(ms), num(by/1e3)+" KB", k))
	}
	b.WriteString("\nk is the exponent of cost ∝ holdersᵏ between two rows: 1 is linear.\n")
	return b.String(), nil
}
