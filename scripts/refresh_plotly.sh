#!/usr/bin/env bash
# Refresh the vendored plotly.js partial bundle from the npm registry.
#
#   scripts/refresh_plotly.sh [VERSION]      (default: the version in static/vendor/plotly/VERSION)
#
# The charts (calculator/charts.py, the incidents' replay and chance pages, the widget) use only
# scatter and bar traces, so the "basic" partial bundle (scatter, bar, pie: ~1 MB, ~330 KB
# gzipped) does instead of the full one (4.8 MB). `npm pack` fetches the published tarball
# without installing anything; the minified bundle, its licence and its version are copied to
# static/vendor/plotly/. Add a trace type to a chart? Check that the bundle holds it, or choose
# a bigger partial bundle here (https://github.com/plotly/plotly.js/blob/master/dist/README.md).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DEST=$ROOT/static/vendor/plotly
PACKAGE=plotly.js-basic-dist-min
VERSION=${1:-$(cat "$DEST/VERSION" 2>/dev/null || echo latest)}

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
(cd "$WORK" && npm pack --silent "$PACKAGE@$VERSION" >/dev/null)
tar -xzf "$WORK"/*.tgz -C "$WORK"

mkdir -p "$DEST"
cp "$WORK/package/plotly-basic.min.js" "$DEST/plotly-basic.min.js"
cp "$WORK/package/LICENSE" "$DEST/LICENSE"
node -p "require('$WORK/package/package.json').version" >"$DEST/VERSION"
echo "$PACKAGE $(cat "$DEST/VERSION") -> ${DEST#"$ROOT"/}/plotly-basic.min.js"
