#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL server on 127.0.0.1, e.g.
#   bash scripts/with_postgres.sh make test
# Uses Debian's PostgreSQL (installed with apt-get when missing and we are root), starts a
# private cluster in a temporary directory on its own port, sets DATABASE_URL, and stops and
# removes the cluster when the command ends, whatever its outcome.
set -euo pipefail
PORT="${UNDERWATER_PG_PORT:-54329}"

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

if [ -z "$(pg_bin)" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's postgresql…"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq postgresql >/dev/null
  else
    echo "PostgreSQL is not installed and cannot be installed here." >&2
    exit 1
  fi
fi
BIN="$(pg_bin)"
DATA="$(mktemp -d /tmp/underwater-pg.XXXXXX)"
RUN_AS=()
if [ "$(id -u)" = "0" ]; then
  # the server refuses to run as root
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  chown postgres "$DATA"
  RUN_AS=(runuser -u postgres --)
fi
cleanup() {
  "${RUN_AS[@]}" "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$DATA"
}
trap cleanup EXIT
"${RUN_AS[@]}" "$BIN/initdb" -D "$DATA" -A trust -U postgres -E UTF8 >/dev/null
"${RUN_AS[@]}" "$BIN/pg_ctl" -D "$DATA" -w -l "$DATA/server.log" \
  -o "-p $PORT -k $DATA -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
"$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres underwater
export DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/underwater"
# for a command that stops and starts the server itself (scripts/scale_out_check.py)
export UNDERWATER_PG_DATA="$DATA" UNDERWATER_PG_BIN="$BIN"
echo "PostgreSQL on 127.0.0.1:$PORT for: $*"
"$@"
