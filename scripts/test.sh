#!/usr/bin/env bash
# The whole suite twice: on SQLite and on a throwaway PostgreSQL cluster on a loopback port.
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

# The two runs share nothing (each has its own database; mail and Redis servers start on free ports), so they
# run side by side: most of a run is waiting on browsers, servers and sockets, and it halves the wall time.
mkdir -p test-artifacts
PG_LOG=test-artifacts/pytest-postgresql.log
MATCHMAKER_TEST_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:$PGPORT/matchmaker_test" \
  "$BIN/pytest" -q >"$PG_LOG" 2>&1 &
PG_RUN=$!
echo "=== pytest on SQLite (PostgreSQL runs alongside, into $PG_LOG)"
SQLITE_STATUS=0
"$BIN/pytest" -q || SQLITE_STATUS=$?
PG_STATUS=0
wait "$PG_RUN" || PG_STATUS=$?
echo "=== pytest on PostgreSQL"
cat "$PG_LOG"
echo "=== SQLite exit $SQLITE_STATUS, PostgreSQL exit $PG_STATUS"
[ "$SQLITE_STATUS" = 0 ] && [ "$PG_STATUS" = 0 ]
