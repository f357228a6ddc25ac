#!/usr/bin/env bash
# Lighthouse on a first visit, as a visitor gets it: production settings, gunicorn and WhiteNoise
# (compressed, hashed static files) on 127.0.0.1, Debian's Chromium, no cache.
#
#   scripts/lighthouse.sh [RUNS] [PATH…]       e.g. scripts/lighthouse.sh 5 / /incidents/
#
# Runs Lighthouse RUNS times (default 5) on each path (default /), as a phone (Lighthouse's
# default: Moto G class, slow 4G and a 4× slower CPU, simulated) and as a desktop
# (--preset=desktop), and prints the median of each score and metric as a Markdown table.
# Lighthouse comes from the npm registry into $LIGHTHOUSE_DIR (default /tmp/underwater-lighthouse,
# outside the repository), installed there on first use. The reports stay in $OUT.
set -euo pipefail

RUNS=${1:-5}
shift || true
PATHS=("$@")
[ ${#PATHS[@]} -gt 0 ] || PATHS=("/")

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
LIGHTHOUSE_VERSION=${LIGHTHOUSE_VERSION:-13.5.0}
LIGHTHOUSE_DIR=${LIGHTHOUSE_DIR:-/tmp/underwater-lighthouse}
LIGHTHOUSE=$LIGHTHOUSE_DIR/node_modules/.bin/lighthouse
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
OUT=${OUT:-$(mktemp -d /tmp/underwater-lighthouse-reports.XXXXXX)}
mkdir -p "$OUT"

if [ ! -x "$LIGHTHOUSE" ]; then
  mkdir -p "$LIGHTHOUSE_DIR"
  npm install --prefix "$LIGHTHOUSE_DIR" --no-audit --no-fund --loglevel error \
    "lighthouse@$LIGHTHOUSE_VERSION" >&2
fi

WORK=$(mktemp -d /tmp/underwater-lighthouse-site.XXXXXX)
PORT=$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export DJANGO_DEBUG=0 DJANGO_SECRET_KEY=x DJANGO_ALLOWED_HOSTS=127.0.0.1
export DJANGO_SECURE_SSL_REDIRECT=0  # plain http on the loopback
export DATABASE_URL="sqlite:///$WORK/db.sqlite3" CACHE_URL="file://$WORK/cache"
export RATE_LIMIT_CALCULATOR=0 DJANGO_LOG_LEVEL=WARNING

cd "$ROOT"
for command in "migrate --noinput" seed_profiles seed_incidents "collectstatic --noinput"; do
  # shellcheck disable=SC2086
  "$PYTHON" manage.py $command -v 0 >/dev/null
done
"$PYTHON" -m gunicorn config.wsgi --bind "127.0.0.1:$PORT" --workers 2 --log-level warning &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break
  sleep 0.2
done

for path in "${PATHS[@]}"; do
  for form in mobile desktop; do
    preset=()
    [ "$form" = desktop ] && preset=(--preset=desktop)
    for run in $(seq "$RUNS"); do
      name=$(echo "$path" | tr -c 'A-Za-z0-9\n' '_')
      "$LIGHTHOUSE" "http://127.0.0.1:$PORT$path" "${preset[@]}" --quiet \
        --chrome-flags="--headless=new --no-sandbox" \
        --only-categories=performance,accessibility,best-practices,seo \
        --output=json --output-path="$OUT/$form$name.$run.json" || true
    done
  done
done

"$PYTHON" - "$OUT" "$RUNS" "${PATHS[@]}" <<'EOF'
import json, statistics, sys
from pathlib import Path

out, runs, paths = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
categories = ["performance", "accessibility", "best-practices", "seo"]
metrics = [  # audit id, heading, unit
    ("first-contentful-paint", "FCP", "ms"),
    ("largest-contentful-paint", "LCP", "ms"),
    ("total-blocking-time", "TBT", "ms"),
    ("interactive", "TTI", "ms"),
    ("cumulative-layout-shift", "CLS", ""),
    ("total-byte-weight", "bytes", "KB"),
]
print(f"Medians of {runs} Lighthouse runs per row (reports in {out})\n")
print("| page | form | " + " | ".join(categories + [m[1] for m in metrics]) + " |")
print("|---|---|" + "---|" * (len(categories) + len(metrics)))
for path in paths:
    name = "".join(c if c.isalnum() else "_" for c in path)
    for form in ("mobile", "desktop"):
        reports = [json.loads(p.read_text()) for p in sorted(out.glob(f"{form}{name}.*.json"))]
        reports = [r for r in reports if r.get("categories", {}).get("performance", {}).get("score") is not None]
        cells = []
        for category in categories:
            scores = [r["categories"][category]["score"] * 100 for r in reports]
            cells.append(f"{statistics.median(scores):.0f}" if scores else "–")
        for audit, _, unit in metrics:
            values = [r["audits"][audit]["numericValue"] for r in reports
                      if audit in r["audits"] and r["audits"][audit].get("numericValue") is not None]
            if not values:
                cells.append("–")
            elif unit == "KB":
                cells.append(f"{statistics.median(values) / 1024:.0f} KB")
            elif unit == "ms":
                cells.append(f"{statistics.median(values):,.0f} ms")
            else:
                cells.append(f"{statistics.median(values):.3f}")
        print(f"| `{path}` | {form} ({len(reports)} runs) | " + " | ".join(cells) + " |")
EOF
