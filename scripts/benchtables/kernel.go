package main

import (
	"fmt"
	"strings"

	"github.com/leasesim/leasesim/stats"
)

// kernelBenches are the kernel table's benchmarks, each with its -test.benchtime: enough
// iterations for about half a second each on a quiet machine.
var kernelBenches = []struct{ name, benchtime string }{
	{"BenchmarkReference", "200x"},
	{"BenchmarkSynctestLease", "10x"},
	{"BenchmarkBareLoop", "200x"},
	{"BenchmarkKernelPing", "20x"},
}

// kernelTable runs the reference workload, its synctest version, the bare event loop and
// the ping protocol in interleaved rounds, on one core each, and compares them with the
// targets of docs/semantics.md and issue 22.
func kernelTable(r *runner, o options) (string, error) {
	res := map[string][]benchLine{}
	for i := 1; i <= o.Rounds; i++ {
		r.step("kernel: round %d of %d", i, o.Rounds)
		for _, kb := range kernelBenches {
			lines, err := r.goBench("sim.test", "^"+kb.name+"$", "-test.cpu", "1", "-test.benchtime", kb.benchtime, "-test.benchmem")
			if err != nil {
				return "", err
			}
			res[kb.name] = append(res[kb.name], lines...)
		}
	}
	get := func(name, unit string) ([]float64, error) { return metric(res[name], name, unit) }
	var errs []error
	must := func(name, unit string) []float64 {
		v, err := get(name, unit)
		errs = append(errs, err)
		return v
	}
	refCPU, synCPU := must("BenchmarkReference", "cpu-ms/simhour"), must("BenchmarkSynctestLease", "cpu-ms/simhour")
	refWall, synWall := must("BenchmarkReference", "ms/simhour"), must("BenchmarkSynctestLease", "ms/simhour")
	refNs, bareNs, pingNs := must("BenchmarkReference", "ns/event"), must("BenchmarkBareLoop", "ns/event"), must("BenchmarkKernelPing", "ns/event")
	refMsgs, synMsgs := must("BenchmarkReference", "msgs/run"), must("BenchmarkSynctestLease", "msgs/run")
	refAllocs := must("BenchmarkReference", "allocs/op")
	for _, err := range errs {
		if err != nil {
			return "", err
		}
	}

	var b strings.Builder
	fmt.Fprintf(&b, "\n%s, interleaved: each runs the four benchmarks in turn, on one core (`-test.cpu 1`):\n\n", plural(o.Rounds, "round"))
	lines := []string{"go test -c -o sim.test ./sim", fmt.Sprintf("for i in $(seq %d); do", o.Rounds)}
	for _, kb := range kernelBenches {
		lines = append(lines, fmt.Sprintf("  ./sim.test -test.run '^$' -test.bench '^%s$' -test.cpu 1 -test.benchtime %s -test.benchmem", kb.name, kb.benchtime))
	}
	b.WriteString(codeBlock(append(lines, "done")...))
	b.WriteString("\n")
	b.WriteString(roundsHeader("figure", o.Rounds, "median (range)"))
	b.WriteString(roundsRow("`Reference`, CPU ms per simulated hour", refCPU, num))
	b.WriteString(roundsRow("`SynctestLease`, CPU ms per simulated hour", synCPU, num))
	b.WriteString(roundsRow("synctest ÷ reference, CPU", quotients(synCPU, refCPU), times))
	b.WriteString(roundsRow("`Reference`, wall ms per simulated hour", refWall, num))
	b.WriteString(roundsRow("`SynctestLease`, wall ms per simulated hour", synWall, num))
	b.WriteString(roundsRow("`Reference`, wall ns per event", refNs, num))
	b.WriteString(roundsRow("`BareLoop`, wall ns per event", bareNs, num))
	b.WriteString(roundsRow("bare loop ÷ reference, per event", quotients(bareNs, refNs), num))
	b.WriteString(roundsRow("`KernelPing`, wall ns per event", pingNs, num))

	ratio := stats.Median(quotients(synCPU, refCPU))
	bare := stats.Median(quotients(bareNs, refNs))
	cpu := stats.Median(refCPU)
	fmt.Fprintf(&b, "\nMessages per run: the reference %s, the synctest version %s. Allocations per reference run: %s.\n\n",
		count(stats.Median(refMsgs)), count(stats.Median(synMsgs)), count(stats.Median(refAllocs)))
	b.WriteString(row("target (one core)", "measured, median", "met"))
	b.WriteString(rule(3))
	b.WriteString(row("≤ 10 ms per simulated hour (docs/semantics.md)", num(cpu)+" ms CPU", met(cpu <= 10)))
	b.WriteString(row("≥ 15× faster than goroutines under synctest (docs/semantics.md, issue 22)", times(ratio), met(ratio >= 15)))
	b.WriteString(row("≥ 1/3 of the bare loop's events per second (docs/semantics.md)", num(bare), met(bare >= 1.0/3)))
	return b.String(), nil
}
