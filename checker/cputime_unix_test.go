//go:build unix

package checker

import "syscall"

// processCPU returns the CPU time (user + system) the process has used so far, in
// nanoseconds, and whether the platform reports it. The benchmarks report it beside
// wall time: on a loaded machine wall time measures the load.
func processCPU() (int64, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return ru.Utime.Nano() + ru.Stime.Nano(), true
}
