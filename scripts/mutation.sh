#!/usr/bin/env bash
# Mutation testing of the source with gremlins (github.com/go-gremlins/gremlins v0.6.0):
# every mutant of a package is a copy of the module with one operator changed, and the
# package's own tests (for the protocols, their catalog scenarios) must fail on it.
# Survivors are compared with docs/mutation-survivors.txt: a survivor not listed there
# fails the run. See docs/mutation.md.
#
#   scripts/mutation.sh full [PKGDIR...]   every mutant of model/lease and checker (or the
#                                          given package directories); hours on 2 cores
#   scripts/mutation.sh ci                 the fixed sample CI runs: checker's claims, intervals,
#                                          P2, P4, failover, liveness and result files
#                                          (~110 mutants, under 2 minutes on two idle cores)
#   scripts/mutation.sh files PKGDIR FILE...  the mutants of some files of one package
#                                          (the package's whole test suite as killers)
#   scripts/mutation.sh dry [PKGDIR...]    count the mutants without running them
#
# Environment: MUTATION_OUT (reports, default /tmp/leasesim-mutation), MUTATION_TIMEOUT
# (per package, default 6h for full, 30m for files, 5m for ci), MUTATION_SKIP (a go test -skip pattern for
# the killers, e.g. TestRandomFaults to leave out model/lease's 2000-seed sweeps),
# MUTATION_WORKERS (gremlins workers, default 2), MUTATION_COEFFICIENT (gremlins' timeout
# coefficient, default 30), GREMLINS (the gremlins binary).
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-}
shift || true
out=${MUTATION_OUT:-/tmp/leasesim-mutation}
workers=${MUTATION_WORKERS:-2}
coefficient=${MUTATION_COEFFICIENT:-30}
known=docs/mutation-survivors.txt

# The CI sample: a fixed list of checker files whose tests run in well under a second, so
# each mutant costs one build. Every other file of checker, including files added later,
# is excluded: a new file joins the sample only when it is added here, after its
# survivors are analysed (scripts/mutation.sh files checker FILE, or full checker).
# lockmodel.go, p1cross.go, p3.go, sweep.go and visualize.go are analysed too but left
# out for time (80, 48, 27, 81 and 11 mutants).
ci_pkg=checker
ci_sample=(claims.go intervals.go p2.go p4.go failover.go liveness.go result.go)

# exclude_but PKGDIR FILE...: the gremlins -E pattern that excludes every non-test Go file
# of PKGDIR except the given ones.
exclude_but() {
  local dir=$1; shift
  local ex
  ex=$(cd "$dir" && ls *.go | grep -v '_test\.go$' | grep -vxF -f <(printf '%s\n' "$@") \
    | sed 's/\./\\./' | paste -sd'|')
  echo "($ex)\$"
}
ci_exclude=$(exclude_but "$ci_pkg" "${ci_sample[@]}")

gremlins=${GREMLINS:-}
if [[ -z $gremlins ]]; then
  gremlins=$(command -v gremlins || true)
  if [[ -z $gremlins ]]; then
    gobin=$(go env GOPATH)/bin
    if [[ ! -x $gobin/gremlins ]]; then
      echo "== installing gremlins v0.6.0"
      go install github.com/go-gremlins/gremlins/cmd/gremlins@v0.6.0
    fi
    gremlins=$gobin/gremlins
  fi
fi

# -count=1: gremlins times the coverage run to set each mutant's timeout, so it must not
# come from the test cache. -buildvcs=false: the copies gremlins tests are not checkouts.
goflags="-buildvcs=false -count=1"
if [[ -n ${MUTATION_SKIP:-} ]]; then goflags="$goflags -skip=${MUTATION_SKIP}"; fi

# unleash PKGDIR TIMEOUT [gremlins flags...]: one package, its report in $out/<name>.json.
unleash() {
  local dir=$1 limit=$2; shift 2
  local report=$out/$(echo "$dir" | tr / _).json
  rm -f "$report"
  echo "== gremlins on $dir (time box $limit, $workers worker(s))"
  local start=$SECONDS
  # gremlins times a mutant out after coefficient × the coverage run's time. That run
  # reuses cached builds while every mutant rebuilds the package, so a fast package
  # (checker's tests take under a second) needs a large coefficient, or a busy machine
  # turns slow builds into spurious time-outs.
  if ! GOFLAGS=$goflags timeout "$limit" "$gremlins" unleash --workers "$workers" --timeout-coefficient "$coefficient" \
      -o "$report" "$@" "./$dir"; then
    echo "gremlins on $dir did not finish within $limit (or failed): its report is incomplete" >&2
    return 1
  fi
  echo "   $dir: $((SECONDS - start))s"
  reports+=("$dir=$report")
}

mkdir -p "$out"
reports=()
case $mode in
  full)
    dirs=("$@")
    if [[ ${#dirs[@]} -eq 0 ]]; then dirs=(model/lease checker); fi
    for d in "${dirs[@]}"; do unleash "$d" "${MUTATION_TIMEOUT:-6h}"; done
    ;;
  ci)
    unleash "$ci_pkg" "${MUTATION_TIMEOUT:-5m}" -E "$ci_exclude"
    ;;
  files)
    if [[ $# -lt 2 ]]; then
      echo "usage: scripts/mutation.sh files PKGDIR FILE... (file names within PKGDIR, e.g. checker failover.go)" >&2
      exit 2
    fi
    dir=$1; shift
    for f in "$@"; do
      if [[ ! -f $dir/$f || $f == */* || $f == *_test.go ]]; then
        echo "scripts/mutation.sh files: $dir/$f: want a non-test Go file directly in $dir" >&2
        exit 2
      fi
    done
    unleash "$dir" "${MUTATION_TIMEOUT:-30m}" -E "$(exclude_but "$dir" "$@")"
    ;;
  dry)
    dirs=("$@")
    if [[ ${#dirs[@]} -eq 0 ]]; then dirs=(model/lease checker); fi
    for d in "${dirs[@]}"; do
      echo "== $d"
      GOFLAGS=$goflags "$gremlins" unleash --dry-run "./$d" | tail -n 3
    done
    echo "== ci sample ($ci_pkg without $ci_exclude)"
    GOFLAGS=$goflags "$gremlins" unleash --dry-run -E "$ci_exclude" "./$ci_pkg" | tail -n 3
    exit 0
    ;;
  *)
    echo "usage: scripts/mutation.sh full [PKGDIR...] | ci | files PKGDIR FILE... | dry [PKGDIR...]" >&2
    exit 2
    ;;
esac

go run ./scripts/mutationsurvivors -known "$known" "${reports[@]}"
