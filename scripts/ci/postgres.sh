#!/usr/bin/env bash
# Starts the machine's PostgreSQL 15 cluster (installed, not running) for the state store's
# PostgreSQL tests, creates a password-protected test role and database, waits until the server
# accepts connections, and prints `export TRADEML_TEST_POSTGRES_URL=…` as its last stdout line.
# Idempotent: safe to run again while the cluster is up. Runs as root; the server runs as `postgres`.
# Usage (from .ci/run):  eval "$(bash scripts/ci/postgres.sh | tail -n 1)"
set -euo pipefail

VERSION="${TRADEML_PG_VERSION:-15}"
CLUSTER="${TRADEML_PG_CLUSTER:-main}"
PORT="${TRADEML_PG_PORT:-5432}"
ROLE=trademl_test
PASSWORD=trademl_test_pw
DATABASE=trademl_test

log() { echo "postgres.sh: $*" >&2; }

if [ ! -x "/usr/lib/postgresql/${VERSION}/bin/postgres" ]; then
  log "PostgreSQL ${VERSION} is not installed (no /usr/lib/postgresql/${VERSION}); installing postgresql-${VERSION}"
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "postgresql-${VERSION}" >&2
fi

if ! pg_lsclusters -h | awk -v v="$VERSION" -v c="$CLUSTER" '$1 == v && $2 == c { found = 1 } END { exit !found }'; then
  log "creating cluster ${VERSION}/${CLUSTER} on port ${PORT}"
  pg_createcluster "$VERSION" "$CLUSTER" --port "$PORT" >&2
fi
PORT="$(pg_lsclusters -h | awk -v v="$VERSION" -v c="$CLUSTER" '$1 == v && $2 == c { print $3 }')"

status="$(pg_lsclusters -h | awk -v v="$VERSION" -v c="$CLUSTER" '$1 == v && $2 == c { print $4 }')"
if [ "$status" != "online" ]; then
  log "starting cluster ${VERSION}/${CLUSTER} (was ${status})"
  # pg_ctlcluster refuses to run the server as root; it switches to the cluster owner itself
  # when called as root, but run it as postgres explicitly so that holds on every setup.
  su postgres -c "pg_ctlcluster ${VERSION} ${CLUSTER} start" >&2
else
  log "cluster ${VERSION}/${CLUSTER} already online on port ${PORT}"
fi

for _ in $(seq 1 60); do
  if su postgres -c "pg_isready -q -h 127.0.0.1 -p ${PORT}"; then break; fi
  sleep 0.5
done
su postgres -c "pg_isready -h 127.0.0.1 -p ${PORT}" >&2

psql_admin() { su postgres -c "psql -v ON_ERROR_STOP=1 -q -p ${PORT} -d postgres -tAc \"$1\""; }

if [ "$(psql_admin "SELECT 1 FROM pg_roles WHERE rolname = '${ROLE}'")" != "1" ]; then
  log "creating role ${ROLE}"
  psql_admin "CREATE ROLE ${ROLE} LOGIN PASSWORD '${PASSWORD}'" >&2
else
  psql_admin "ALTER ROLE ${ROLE} LOGIN PASSWORD '${PASSWORD}'" >&2
fi
if [ "$(psql_admin "SELECT 1 FROM pg_database WHERE datname = '${DATABASE}'")" != "1" ]; then
  log "creating database ${DATABASE} owned by ${ROLE}"
  psql_admin "CREATE DATABASE ${DATABASE} OWNER ${ROLE}" >&2
fi

URL="postgres://${ROLE}:${PASSWORD}@127.0.0.1:${PORT}/${DATABASE}"
# The password login over TCP must work, not just the local peer login used above.
for _ in $(seq 1 20); do
  if PGPASSWORD="$PASSWORD" psql -q -h 127.0.0.1 -p "$PORT" -U "$ROLE" -d "$DATABASE" -tAc 'SELECT 1' >/dev/null 2>&1; then
    log "ready: ${ROLE}@127.0.0.1:${PORT}/${DATABASE}"
    echo "export TRADEML_TEST_POSTGRES_URL=${URL}"
    exit 0
  fi
  sleep 0.5
done
log "the test role cannot log in over TCP to 127.0.0.1:${PORT}"
exit 1
