#!/usr/bin/env bash
# Start a throwaway PostgreSQL server for tests and benchmarks; print its URL on stdout.
#
#   URL=$(scripts/start-postgres.sh)              # a new cluster in a fresh temp dir
#   URL=$(scripts/start-postgres.sh --fast)       # fsync off: for tests, never for data you keep
#   SITREP_PG_DIR=/tmp/x scripts/start-postgres.sh  # use (and own) this dir instead
#   scripts/start-postgres.sh --stop DIR           # stop it and delete DIR
#
# Installs nothing: it needs Debian's `postgresql` package (apt-get install -y postgresql).
# The server listens on 127.0.0.1 only, on a free port, with trust authentication for the
# one role it creates: it is for this machine's tests, not for anything exposed. Run as root,
# it runs the server as the `postgres` user (or `nobody`), since PostgreSQL refuses root.
set -euo pipefail

die() { echo "start-postgres: $*" >&2; exit 1; }

bin_dir() {
  local initdb
  if [ -n "${PG_BIN:-}" ]; then echo "$PG_BIN"; return; fi
  if command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
    # Resolve links: a PATH entry may be a lone link to the real folder's pg_ctl.
    dirname "$(readlink -f "$(command -v pg_ctl)")"; return
  fi
  # Debian keeps the server binaries out of PATH, one folder per major version; take the newest.
  initdb=$(ls -1 /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$initdb" ] || die "no PostgreSQL server binaries (initdb); install Debian's package: apt-get install -y postgresql"
  dirname "$initdb"
}

BIN=$(bin_dir)
RUN_AS=""
if [ "$(id -u)" = 0 ]; then
  if id postgres >/dev/null 2>&1; then RUN_AS=postgres; else RUN_AS=nobody; fi
fi

as_owner() {
  if [ -n "$RUN_AS" ]; then runuser -u "$RUN_AS" -- "$@"; else "$@"; fi
}

if [ "${1:-}" = "--stop" ]; then
  DIR=${2:?usage: start-postgres.sh --stop DIR}
  [ -f "$DIR/data/PG_VERSION" ] || die "$DIR holds no cluster made by this script"
  as_owner "$BIN/pg_ctl" -D "$DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
  exit 0
fi

FAST=0
[ "${1:-}" = "--fast" ] && FAST=1

DIR=${SITREP_PG_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/sitrep-pg.XXXXXX")}
mkdir -p "$DIR"
[ -z "$RUN_AS" ] || chown "$RUN_AS" "$DIR"
chmod 700 "$DIR"

PY=$(command -v python3 || command -v python || true)
[ -n "$PY" ] || die "python3 is needed to pick a free port"
PORT=${SITREP_PG_PORT:-$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
ROLE=sitrep

as_owner "$BIN/initdb" -D "$DIR/data" -U "$ROLE" --auth=trust --encoding=UTF8 --locale=C \
  >"$DIR/initdb.log" 2>&1 || die "initdb failed; see $DIR/initdb.log"

OPTS="-h 127.0.0.1 -p $PORT -k $DIR -c max_connections=50"
if [ "$FAST" = 1 ]; then
  OPTS="$OPTS -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
fi
as_owner "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 -o "$OPTS" start >/dev/null \
  || die "the server did not start; see $DIR/server.log"
as_owner "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U "$ROLE" sitrep_test \
  || die "createdb failed; see $DIR/server.log"

echo "started PostgreSQL in $DIR (stop: scripts/start-postgres.sh --stop $DIR)" >&2
echo "postgresql://$ROLE@127.0.0.1:$PORT/sitrep_test"
