#!/usr/bin/env bash
# Regenerates the README's figures from the built-in scenarios:
#   docs/sweep-lease-length.png  the lease-length sweep of the README (100 seeds a point)
#   docs/spacetime-count-from-grant-receipt.png  one failure's space-time diagram, the
#       mutant lease/count-from-grant-receipt, rendered at 2x by headless Chromium
# Needs Go and Debian's chromium (apt-get update && apt-get install -y chromium).
#   scripts/readme-figures.sh
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/leasesim" ./cmd/leasesim

"$work/leasesim" sweep sweep-lease-length --set lease=50ms,100ms,200ms,500ms,1s,2s,5s,10s,20s,60s \
  --set renew=lease/3 --set guard=lease/20 --seeds 100 --out "$work/sweep" >/dev/null
cp "$work/sweep/unavailability.png" docs/sweep-lease-length.png
echo "wrote docs/sweep-lease-length.png"

# The mutant violates P1 by design: run exits 1.
"$work/leasesim" run mutant-lease-count-from-grant-receipt --seed 1 --out "$work/run" >/dev/null || true
svg="$work/run/spacetime.svg"
read -r w h < <(sed -n 's/.*<svg [^>]*width="\([0-9]*\)" height="\([0-9]*\)".*/\1 \2/p' "$svg" | head -1)
chromium --headless --disable-gpu --no-sandbox --hide-scrollbars --force-device-scale-factor=2 \
  --window-size="$w,$h" --screenshot=docs/spacetime-count-from-grant-receipt.png "file://$svg" 2>/dev/null
echo "wrote docs/spacetime-count-from-grant-receipt.png"
