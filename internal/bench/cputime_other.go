//go:build !unix

package bench

// processCPU reports that this platform gives no CPU time (bench prints wall time only).
func processCPU() (int64, bool) { return 0, false }
