#!/usr/bin/env bash
# Scale-out check (scripts/scale_out_check.py): two gunicorn instances on a throwaway PostgreSQL
# and a private Redis, all on 127.0.0.1, with a worker killed and Redis and the database stopped
# under load. Installs Debian's redis-server (and PostgreSQL, via with_postgres.sh) when missing
# and we are root. PostgreSQL runs on its own port (UNDERWATER_SCALE_PG_PORT, default 54339), so
# this can run beside `make test-postgres`.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v redis-server >/dev/null 2>&1 && [ ! -x /usr/bin/redis-server ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's redis-server…"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq redis-server >/dev/null
  else
    echo "redis-server is not installed and cannot be installed here." >&2
    exit 1
  fi
fi
PY="${PYTHON:-.venv/bin/python}"
UNDERWATER_PG_PORT="${UNDERWATER_SCALE_PG_PORT:-54339}" \
  bash scripts/with_postgres.sh "$PY" scripts/scale_out_check.py "$@"
