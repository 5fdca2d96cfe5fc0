//go:build !unix

package sim_test

// processCPU reports no CPU time where the platform has no getrusage.
func processCPU() (int64, bool) { return 0, false }
