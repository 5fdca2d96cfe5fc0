//go:build !unix

package checker

// processCPU reports no CPU time where the platform has no getrusage.
func processCPU() (int64, bool) { return 0, false }
