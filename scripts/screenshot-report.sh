#!/usr/bin/env bash
# Renders a leasesim HTML report in headless Chromium and saves a full-page screenshot, to
# check that every inline figure renders. Needs Debian's chromium (apt-get install chromium).
#   scripts/screenshot-report.sh report/report.html shot.png
set -euo pipefail
html=$(realpath "$1"); shot=${2:-report-screenshot.png}
chromium --headless --disable-gpu --no-sandbox --hide-scrollbars \
  --window-size=1200,6000 --screenshot="$shot" "file://$html" 2>/dev/null
echo "wrote $shot"
