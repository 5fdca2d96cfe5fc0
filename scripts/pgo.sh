#!/usr/bin/env bash
# Regenerates cmd/leasesim/default.pgo, the CPU profile that `go build` (with its default
# -pgo=auto) uses to optimise the leasesim binary: profile-guided inlining and
# devirtualisation of the hot paths (the kernel's loop, Node.Step, the network's send).
# See BENCHMARKS.md, "The reference workload, sixth pass".
#
#   scripts/pgo.sh            writes cmd/leasesim/default.pgo (a few minutes on one core)
#
# The profile is the merge of two representative workloads, each profiled as users run
# it and both built without PGO so that the profile does not feed on itself:
#   1. the whole built-in catalog, `leasesim suite -q --workers 1` (every protocol, the
#      checker, the reports), through scripts/pgoprofile;
#   2. the reference workload, `go test -bench 'BenchmarkReference$' ./sim` (1,000
#      simulated hours), which is also what `leasesim bench` times.
# Regenerate it after a change that moves the hot paths (the kernel, a protocol's Step);
# a stale profile costs only part of the gain (PGO tolerates source changes).
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

go run -pgo=off ./scripts/pgoprofile -o "$tmp/suite.pprof" -- suite -q --workers 1 --out "$tmp/suite" >/dev/null
go test -pgo=off -c -o "$tmp/sim.test" ./sim
(cd "$tmp" && ./sim.test -test.run '^$' -test.bench 'BenchmarkReference$' -test.cpu 1 \
  -test.benchtime 1000x -test.cpuprofile "$tmp/reference.pprof" >/dev/null)
go tool pprof -proto "$tmp/suite.pprof" "$tmp/reference.pprof" >cmd/leasesim/default.pgo
echo "wrote cmd/leasesim/default.pgo ($(wc -c <cmd/leasesim/default.pgo) bytes)"
