package main

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// machine is what every table states about where and what it measured.
type machine struct {
	Arch, CPU  string
	Cores      int
	GoVersion  string
	GoMaxProcs string
	Commit     string
}

// describe finds out the machine: `uname -m`, the CPU model of /proc/cpuinfo, the core
// count, the Go toolchain's version, GOMAXPROCS (the environment's, or the core count,
// Go's default) and the commit of the tree in root.
func describe(root string) machine {
	m := machine{Arch: runtime.GOARCH, CPU: "unknown CPU", Cores: runtime.NumCPU(), GoVersion: runtime.Version()}
	if out, err := exec.Command("uname", "-m").Output(); err == nil {
		m.Arch = strings.TrimSpace(string(out))
	}
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		m.CPU = cpuModel(string(data))
	}
	if out, err := exec.Command("go", "env", "GOVERSION").Output(); err == nil {
		m.GoVersion = strings.TrimSpace(string(out))
	}
	m.GoMaxProcs = strconv.Itoa(m.Cores)
	if v := os.Getenv("GOMAXPROCS"); v != "" {
		m.GoMaxProcs = v + " (from the environment)"
	}
	m.Commit = "unknown commit"
	if out, err := exec.Command("git", "-C", root, "rev-parse", "--short", "HEAD").Output(); err == nil {
		m.Commit = strings.TrimSpace(string(out))
		// BENCHMARKS.md itself is what -write changes; any other change makes the tree
		// something no commit holds.
		if st, err := exec.Command("git", "-C", root, "status", "--porcelain", "--untracked-files=no").Output(); err == nil {
			for _, l := range strings.Split(strings.TrimSpace(string(st)), "\n") {
				if l != "" && !strings.HasSuffix(l, " BENCHMARKS.md") {
					m.Commit += " with uncommitted changes"
					break
				}
			}
		}
	}
	return m
}

// cpuModel is the first "model name" of /proc/cpuinfo's text.
func cpuModel(cpuinfo string) string {
	for _, l := range strings.Split(cpuinfo, "\n") {
		if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown CPU"
}

// loadAverage is the one-minute load average of /proc/loadavg, or -1 where there is none.
func loadAverage() float64 {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return -1
	}
	f := strings.Fields(string(data))
	if len(f) == 0 {
		return -1
	}
	v, err := strconv.ParseFloat(f[0], 64)
	if err != nil {
		return -1
	}
	return v
}

// header is the line a table's block starts with: when and where it was measured, and
// the load average before and after, with a warning when the machine was busy.
func header(m machine, from, to time.Time, load0, load1 float64) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Measured on %s, %s–%s UTC, at commit %s, by `go run ./scripts/benchtables`: %s, %s, %d cores, %s, GOMAXPROCS %s; load average %s before, %s after.",
		from.UTC().Format("2006-01-02"), from.UTC().Format("15:04"), to.UTC().Format("15:04"),
		m.Commit, m.Arch, m.CPU, m.Cores, m.GoVersion, m.GoMaxProcs, fmtLoad(load0), fmtLoad(load1))
	if max(load0, load1) > float64(m.Cores) {
		fmt.Fprintf(&b, " **Measured under load** (more runnable processes than cores): other work shared the cores, so these figures are slower and noisier than on a quiet machine; re-measure before comparing them with anything.")
	}
	return b.String()
}

// fmtLoad prints a load average, or "unknown".
func fmtLoad(v float64) string {
	if v < 0 {
		return "unknown"
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}
