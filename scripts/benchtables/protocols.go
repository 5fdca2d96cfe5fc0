package main

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/leasesim/leasesim/internal/bench"
	"github.com/leasesim/leasesim/stats"
)

// benchTable prints `leasesim bench` as it prints, for its default 20 runs.
func benchTable(r *runner, o options) (string, error) {
	ls, err := r.bin("leasesim")
	if err != nil {
		return "", err
	}
	r.step("bench: leasesim bench")
	u, err := r.exec([]int{0}, ls, "bench")
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString("\n")
	b.WriteString(codeBlock("go run ./cmd/leasesim bench"))
	b.WriteString("\n")
	for _, l := range strings.Split(strings.TrimRight(string(u.Stdout), "\n"), "\n") {
		b.WriteString("    " + l + "\n")
	}
	return b.String(), nil
}

// protocolScenarios are the protocols table's scenarios with the runs of each
// `leasesim bench`: the reference first (the others are divided by it), and about a
// second of runs each.
var protocolScenarios = []struct {
	name, what string
	runs       int
}{
	{"reference", "the lease protocol: 1 issuer, 5 holders, one simulated hour", 60},
	{"etcd-leader-crash", "etcd-like service, one issuer node", 20},
	{"etcd-raft-leader-crash", "the same on a 3-node go.etcd.io/raft cluster", 30},
	{"k8s-leader-crash", "client-go election over a Lease object, 3-node cluster", 20},
	{"etcd-keys-own-leases", "1,000 keys each on its own lease", 9},
}

// protocolsTable runs `leasesim bench SCENARIO --json` of each protocol scenario in
// interleaved rounds and divides each one's CPU per event by the reference's of the
// same round.
func protocolsTable(r *runner, o options) (string, error) {
	ls, err := r.bin("leasesim")
	if err != nil {
		return "", err
	}
	res := make([][]bench.Result, len(protocolScenarios))
	for i := 1; i <= o.Rounds; i++ {
		r.step("protocols: round %d of %d", i, o.Rounds)
		for j, ps := range protocolScenarios {
			u, err := r.exec([]int{0}, ls, "bench", ps.name, "--runs", fmt.Sprint(ps.runs), "--json")
			if err != nil {
				return "", err
			}
			var br bench.Result
			if err := json.Unmarshal(u.Stdout, &br); err != nil {
				return "", fmt.Errorf("leasesim bench %s --json: %v in %q", ps.name, err, u.Stdout)
			}
			if br.CPUNsEvent == 0 {
				return "", fmt.Errorf("leasesim bench %s --json reported no CPU time (median_cpu_ns_per_event)", ps.name)
			}
			res[j] = append(res[j], br)
		}
	}
	field := func(rs []bench.Result, f func(bench.Result) float64) []float64 {
		out := make([]float64, len(rs))
		for i, x := range rs {
			out[i] = f(x)
		}
		return out
	}
	perEvent := func(x bench.Result) float64 { return x.CPUNsEvent }
	ref := field(res[0], perEvent)
	var b strings.Builder
	fmt.Fprintf(&b, "\n%s, interleaved, GOMAXPROCS %d (as `leasesim bench` reports it). A figure is the median over one `leasesim bench` call's runs; CPU per event counts the process's CPU time (user + system, the garbage collector's included) over the simulation alone, the check apart. Each ratio divides a scenario's CPU per event by the reference's of the same round:\n\n",
		plural(o.Rounds, "round"), res[0][0].GoMaxProcs)
	lines := []string{"go build -o leasesim ./cmd/leasesim", fmt.Sprintf("for i in $(seq %d); do", o.Rounds)}
	for _, ps := range protocolScenarios {
		lines = append(lines, fmt.Sprintf("  ./leasesim bench %s --runs %d --json", ps.name, ps.runs))
	}
	b.WriteString(codeBlock(append(lines, "done   # median_cpu_ns_per_event, median_cpu_ms_per_run, median_check_cpu_ms, …")...))
	b.WriteString("\n")
	b.WriteString(row("scenario", "what", "events per run", "CPU ns per event, by round", "CPU ns per event, median", "÷ reference, median (range)", "CPU per run", "check, CPU per run", "wall ms per simulated hour"))
	b.WriteString(rule(9))
	ratios := map[string]float64{}
	for j, ps := range protocolScenarios {
		ev := field(res[j], perEvent)
		q := quotients(ev, ref)
		ratios[ps.name] = stats.Median(q)
		ratio := "1"
		if j > 0 {
			ratio = "**" + spreadTimes(q) + "**"
		}
		b.WriteString(row("`"+ps.name+"`", ps.what, count(float64(res[j][0].Events)), list(ev, num), num(stats.Median(ev)), ratio,
			num(stats.Median(field(res[j], func(x bench.Result) float64 { return x.CPUMsRun })))+" ms",
			num(stats.Median(field(res[j], func(x bench.Result) float64 { return x.CheckCPUMsRun })))+" ms",
			num(stats.Median(field(res[j], func(x bench.Result) float64 { return x.MedianMsPerHour })))))
	}
	raft, keys := ratios["etcd-raft-leader-crash"], ratios["etcd-keys-own-leases"]
	b.WriteString("\n")
	b.WriteString(row("target (issue 22)", "measured, median", "met"))
	b.WriteString(rule(3))
	b.WriteString(row("`etcd-raft-leader-crash` within 3× the reference per event", times(raft), met(raft <= 3)))
	b.WriteString(row("`etcd-keys-own-leases` within 5× the reference per event", times(keys), met(keys <= 5)))
	return b.String(), nil
}
