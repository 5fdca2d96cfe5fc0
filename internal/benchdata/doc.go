// Package benchdata makes large synthetic histories for the benchmarks of `leasesim
// check` (BENCHMARKS.md): too large to commit, so they are generated, deterministically
// from a seed, by the benchmarks themselves and by scripts/bighistory.
package benchdata
