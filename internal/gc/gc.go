package gc

import "runtime/debug"

const (
	// Percent is GOGC for a simulation: a run's live heap is a few MB, so at Go's
	// default of 100 the process collects about once per run or two. Measured
	// (BENCHMARKS.md, "Garbage collector"): 400 cuts the raft issuer's CPU per event by
	// 15% and the whole catalog's CPU by 16–26%, with runs.jsonl byte for byte the same;
	// the catalog's peak RSS goes from 224 MB to 470 MB.
	//
	// Higher is not better (measured 2026-12-07, interleaved rounds on a loaded 2-core
	// machine): 800 and 1600 make `bench etcd-raft-leader-crash` 11–14% slower per event
	// (median 292 ns at 400, 325 at 800, 332 at 1600; a second set 300, 336, 341), since
	// a short process then allocates into memory it has never touched instead of reusing
	// what a collection freed; the reference (64 ns) and etcd-keys-own-leases (384–391
	// ns) do not move beyond the noise; the whole catalog (`suite --workers 1`, three
	// rounds) takes 5.40 s of CPU at 400, 5.19 s at 800 and 5.20 s at 1600 (−4%) for a
	// peak RSS of 360–458 MB, 578–862 MB and 779–1,480 MB. So 400 stays.
	Percent = 400
	// MemoryLimit is the soft memory limit that keeps GOGC=400 from growing a large
	// run's heap to five times its live size without bound: near it the collector runs
	// more often, as at the default GOGC, instead of the heap growing. 4 GiB is about
	// eight times the catalog's peak at GOGC=400, so ordinary suites, sweeps and
	// searches never reach it, and it fits the small machines (8 GiB and up) leasesim
	// runs on. A run whose live heap exceeds it still runs (the limit is soft and the
	// runtime caps the collector's share of CPU); GOMEMLIMIT sets another.
	MemoryLimit = 4 << 30
)

// ForSimulation sets GOGC to Percent unless the GOGC environment variable (read with
// getenv) is set, and the soft memory limit to MemoryLimit unless GOMEMLIMIT is: a
// user's own setting, which the runtime has already applied, always wins. It is for
// commands whose memory is the runs they simulate, not for those that read a large
// history or results (check, report), whose live heap GOGC=400 would multiply by five.
func ForSimulation(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(Percent)
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(MemoryLimit)
	}
}
