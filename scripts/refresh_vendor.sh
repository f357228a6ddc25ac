#!/usr/bin/env bash
# Refresh a vendored browser library from the npm registry.
#
#   scripts/refresh_vendor.sh plotly [VERSION]
#   scripts/refresh_vendor.sh idiomorph [VERSION]
#
# (VERSION defaults to the one in static/vendor/<name>/VERSION.) `npm pack` fetches the
# published tarball without installing anything; the one file the pages load, its licence and
# its version are copied to static/vendor/<name>/.
#
# plotly: the charts (calculator/charts.py, the incidents' replay and chance pages, the widget)
# use only scatter and bar traces, so the "basic" partial bundle (scatter, bar, pie: ~1 MB,
# ~330 KB gzipped) does instead of the full one (4.8 MB). Add a trace type to a chart? Check
# that the bundle holds it, or choose a bigger partial bundle here
# (https://github.com/plotly/plotly.js/blob/master/dist/README.md).
#
# idiomorph: htmx's morph extension (~11 KB, ~4 KB gzipped), with which the calculator's
# redraw morphs the results into the new answer instead of replacing them (#23).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
NAME=${1:?"which library: plotly or idiomorph"}
case "$NAME" in
  plotly) PACKAGE=plotly.js-basic-dist-min; FILE=plotly-basic.min.js ;;
  idiomorph) PACKAGE=idiomorph; FILE=dist/idiomorph-ext.min.js ;;
  *) echo "unknown library: $NAME (plotly or idiomorph)" >&2; exit 2 ;;
esac
DEST=$ROOT/static/vendor/$NAME
VERSION=${2:-$(cat "$DEST/VERSION" 2>/dev/null || echo latest)}

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
(cd "$WORK" && npm pack --silent "$PACKAGE@$VERSION" >/dev/null)
tar -xzf "$WORK"/*.tgz -C "$WORK"

mkdir -p "$DEST"
cp "$WORK/package/$FILE" "$DEST/$(basename "$FILE")"
cp "$WORK/package/LICENSE" "$DEST/LICENSE"
node -p "require('$WORK/package/package.json').version" >"$DEST/VERSION"
echo "$PACKAGE $(cat "$DEST/VERSION") -> ${DEST#"$ROOT"/}/$(basename "$FILE")"
