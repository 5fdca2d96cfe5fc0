#!/usr/bin/env bash
# Regenerates cmd/leasesim/default.pgo, the CPU profile that `go build` (with its default
# -pgo=auto) uses to optimise the leasesim binary: profile-guided inlining and
# devirtualisation of the hot paths (the kernel's loop, Node.Step, the network's send).
# See BENCHMARKS.md, "The reference workload, sixth pass".
#
#   scripts/pgo.sh            writes cmd/leasesim/default.pgo (about ten seconds)
#
# The profile is the merge of representative workloads, each built without PGO so that
# the profile does not feed on itself:
#   1. the catalog's two heaviest scenarios with their checks, `go test -bench
#      'BenchmarkCatalog(Keys|Raft)' ./cli` (etcd-keys-own-leases and
#      etcd-raft-leader-crash: most of the built-in suite's CPU);
#   2. the reference workload, `go test -bench 'BenchmarkReference$' ./sim` (1,000
#      simulated hours), which is also what `leasesim bench` times.
# Regenerate it after a change that moves the hot paths (the kernel, a protocol's Step);
# a stale profile costs only part of the gain (PGO tolerates source changes).
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

go test -pgo=off -c -o "$tmp/cli.test" ./cli
(cd "$tmp" && ./cli.test -test.run '^$' -test.bench 'BenchmarkCatalog(Keys|Raft)$' -test.cpu 1 \
  -test.benchtime 5x -test.cpuprofile "$tmp/catalog.pprof" >/dev/null)
go test -pgo=off -c -o "$tmp/sim.test" ./sim
(cd "$tmp" && ./sim.test -test.run '^$' -test.bench 'BenchmarkReference$' -test.cpu 1 \
  -test.benchtime 1000x -test.cpuprofile "$tmp/reference.pprof" >/dev/null)
go tool pprof -proto "$tmp/catalog.pprof" "$tmp/reference.pprof" >cmd/leasesim/default.pgo
echo "wrote cmd/leasesim/default.pgo ($(wc -c <cmd/leasesim/default.pgo) bytes)"
