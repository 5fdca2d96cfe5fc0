#!/usr/bin/env bash
# Renders leasesim's HTML reports in headless Chromium and saves screenshots, to check
# every figure the way a person sees it. Needs Debian's chromium
# (apt-get update && apt-get install -y chromium).
#
#   scripts/screenshot-report.sh REPORT.html [SHOT.png]   one report, full width
#   scripts/screenshot-report.sh --all [DIR]              build leasesim, make the suite,
#       sweep, failure and live reports under DIR (default shots/) and screenshot each:
#       DIR/suite.png, DIR/sweep.png, DIR/failure.png, DIR/live.png
#
# Screenshots are of the whole page, 1200 CSS pixels wide, at 2x (a laptop's screen).
set -euo pipefail

shot() { # shot HTML PNG: the whole page, 1200 CSS pixels wide, at 2x
  local html probe h
  html=$(realpath "$1")
  # Measure the page: a copy with a script that writes its height into the DOM.
  probe="${html%.html}.probe.html"
  { cat "$html"; echo '<script>document.body.setAttribute("data-height", Math.ceil(document.documentElement.scrollHeight))</script>'; } >"$probe"
  h=$(chromium --headless --disable-gpu --no-sandbox --hide-scrollbars --window-size=1200,800 \
    --dump-dom "file://$probe" 2>/dev/null | grep -o 'data-height="[0-9]*"' | tr -dc 0-9 || true)
  rm -f "$probe"
  chromium --headless --disable-gpu --no-sandbox --hide-scrollbars --force-device-scale-factor=2 \
    --window-size=1200,"${h:-6000}" --screenshot="$2" "file://$html" 2>/dev/null
  echo "wrote $2 (1200x${h:-6000} CSS pixels at 2x)"
}

if [[ "${1:-}" != "--all" ]]; then
  [[ $# -ge 1 ]] || { echo "usage: $0 REPORT.html [SHOT.png] | --all [DIR]" >&2; exit 2; }
  shot "$1" "${2:-report-screenshot.png}"
  exit 0
fi

dir=${2:-shots}
mkdir -p "$dir"
dir=$(realpath "$dir")
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/leasesim" ./cmd/leasesim
ls="$work/leasesim"

# Suite: a few built-in scenarios, every expectation met.
"$ls" suite lease-cut heartbeat-cut etcd-leader-crash fencing-pause --seeds 5 --out "$work/suite" >/dev/null
"$ls" report "$work/suite" --out "$work/suite-report" >/dev/null
shot "$work/suite-report/report.html" "$dir/suite.png"

# Failure: a mutant whose scenario is told to expect no overlap, so that the suite writes
# a failure bundle (its space-time diagram is inlined).
"$ls" list --show mutant-lease-count-from-grant-receipt | sed 's/^  p1: violated/  p1: holds/' >"$work/fail.yaml"
"$ls" suite "$work/fail.yaml" --seeds 2 --out "$work/fail" >/dev/null || true # exit 1: expected
"$ls" report "$work/fail" --out "$work/fail-report" >/dev/null
shot "$work/fail-report/report.html" "$dir/failure.png"

# Sweep: lease lengths × two renew periods × two guards (a row of panels per guard).
"$ls" sweep sweep-lease-length --set lease=1s,2s,5s,10s --set renew=200ms,400ms \
  --set guard=50ms,100ms --seeds 5 --out "$work/sweep" >/dev/null
"$ls" report "$work/sweep" --out "$work/sweep-report" >/dev/null
shot "$work/sweep-report/report.html" "$dir/sweep.png"

# Live: two trials against an embedded etcd.
if "$ls" live etcd --scenario live-isolate-leader --trials 2 --out "$work/live" >/dev/null 2>"$work/live.err" || [[ -s "$work/live/trials.jsonl" ]]; then
  "$ls" report "$work/live" --out "$work/live-report" >/dev/null
  shot "$work/live-report/report.html" "$dir/live.png"
else
  echo "live: skipped ($(head -1 "$work/live.err"))" >&2
fi
