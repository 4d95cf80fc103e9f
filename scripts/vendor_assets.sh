#!/usr/bin/env bash
# Re-vendor the pinned front-end assets from the npm registry (no CDN at run time).
# The files are committed; run this only to change a version, then update VERSIONS.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
HTMX=2.0.11
ECHARTS=6.1.0
AXE=4.14.1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "htmx.org@$HTMX" "echarts@$ECHARTS" "axe-core@$AXE" >/dev/null)
vendor=skillplan/core/static/vendor
mkdir -p "$vendor/htmx" "$vendor/echarts" tests/browser/vendor
tar -xzf "$tmp/htmx.org-$HTMX.tgz" -C "$tmp" package/dist/htmx.min.js && mv "$tmp/package/dist/htmx.min.js" "$vendor/htmx/"
rm -rf "$tmp/package"
tar -xzf "$tmp/echarts-$ECHARTS.tgz" -C "$tmp" package/dist/echarts.min.js package/LICENSE && mv "$tmp/package/dist/echarts.min.js" "$tmp/package/LICENSE" "$vendor/echarts/"
rm -rf "$tmp/package"
tar -xzf "$tmp/axe-core-$AXE.tgz" -C "$tmp" package/axe.min.js && mv "$tmp/package/axe.min.js" tests/browser/vendor/
printf 'htmx.org %s\necharts %s\naxe-core %s (tests only)\n' "$HTMX" "$ECHARTS" "$AXE" > "$vendor/VERSIONS.txt"
echo "vendored: htmx $HTMX, echarts $ECHARTS, axe-core $AXE"
