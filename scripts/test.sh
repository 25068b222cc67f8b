#!/usr/bin/env bash
# The whole suite twice: on SQLite, then on a throwaway PostgreSQL cluster on a loopback port.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PGPORT=${PGPORT:-54329}

"$BIN/ruff" check matchmaker tests bench
"$BIN/lint-imports" --no-cache
"$BIN/mypy" --strict --follow-imports=silent matchmaker/engine matchmaker/planning matchmaker/excel

PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
PGDATA=$(mktemp -d /tmp/matchmaker-pg.XXXXXX)
chown postgres "$PGDATA" 2>/dev/null || true
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -c "$*"; else bash -c "$*"; fi; }
stop_pg() { as_pg "$PGBIN/pg_ctl -D $PGDATA -m fast stop" >/dev/null 2>&1 || true; rm -rf "$PGDATA"; }
trap stop_pg EXIT
as_pg "$PGBIN/initdb -D $PGDATA -U postgres -A trust -E UTF8 --locale=C.UTF-8" >/dev/null
as_pg "$PGBIN/pg_ctl -D $PGDATA -o '-p $PGPORT -k $PGDATA -c listen_addresses=127.0.0.1 -c fsync=off' -l $PGDATA/log -w start" >/dev/null
as_pg "$PGBIN/createdb -h 127.0.0.1 -p $PGPORT -U postgres matchmaker_test"

echo "=== pytest on SQLite"
"$BIN/pytest" -q
echo "=== pytest on PostgreSQL"
MATCHMAKER_TEST_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:$PGPORT/matchmaker_test" \
  "$BIN/pytest" -q
