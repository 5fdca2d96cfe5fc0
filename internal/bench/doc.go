// Package bench times the simulator for `leasesim bench`: a scenario run again and
// again, one run at a time on one core, and the medians of the wall time per simulated
// hour and per event, of the checker, and of the process's CPU time where the platform
// reports it (getrusage on unix). The Go benchmarks (go test -bench ./sim/) put these
// figures beside a goroutine implementation; BENCHMARKS.md has them.
package bench
