#!/usr/bin/env bash
# Start the real backing services for tests and CI (idempotent; each step is skipped when done):
#   PostgreSQL  127.0.0.1:5432  (Debian cluster <major>/main, wal_level=logical, role+DBs boxoffice)
#   Redis       127.0.0.1:6379, 6380, 6381  (three independent masters, no persistence)
#   OpenSearch  127.0.0.1:9200  (one node in a JVM, from Maven Central; see scripts/search-engine/)
# Then prints the environment to use (scripts/services/env.sh).
#
# Usage: scripts/services/up.sh [--verify] [--reset-test-db] [--only pg|redis|search]...
#   --verify         also run scripts/search-engine/verify.sh against the engine
#   --reset-test-db  drop and recreate the boxoffice_test database (CI does this for a clean run)
#   --only X         start only X (repeatable)
# scripts/services/down.sh stops what this started (recorded in .services/started), nothing
# else. Details: docs/services.md.
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

VERIFY=0
RESET_TEST_DB=0
ONLY=()
while [ $# -gt 0 ]; do
  case "$1" in
    --verify) VERIFY=1 ;;
    --reset-test-db) RESET_TEST_DB=1 ;;
    --only) shift; ONLY+=("${1:?--only needs pg, redis or search}") ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) die "unknown argument: $1" ;;
  esac
  shift
done
want() {
  [ "${#ONLY[@]}" -eq 0 ] && return 0
  local x; for x in "${ONLY[@]}"; do [ "$x" = "$1" ] && return 0; done; return 1
}

mkdir -p "$SERVICES_DIR"

# ------------------------------------------------------------------------------------------------
# PostgreSQL
# ------------------------------------------------------------------------------------------------
PG_CONF_NAME=boxoffice.conf
pg_conf_content() {
  cat <<'CONF'
# written by boxoffice scripts/services/up.sh -- do not edit, rerun up.sh instead
listen_addresses = 'localhost'
port = 5432
# change data capture (logical replication) for the search indexer
wal_level = logical
max_replication_slots = 16
max_wal_senders = 16
# a forgotten replication slot must not fill the disk
max_slot_wal_keep_size = 1GB
max_connections = 200
# test/CI server: commits need not wait for the WAL flush (no corruption risk, only the last
# few transactions can be lost if the machine crashes)
synchronous_commit = off
CONF
}

# pg_settings_ok: the server on 5432 has the settings we need (checked as boxoffice).
pg_settings_ok() {
  local v
  v="$(pg_app "select current_setting('wal_level') || ' ' || current_setting('max_replication_slots') || ' ' || current_setting('max_wal_senders')" boxoffice 2>/dev/null)" || return 1
  set -- $v
  [ "${1:-}" = logical ] && [ "${2:-0}" -ge 10 ] && [ "${3:-0}" -ge 10 ]
}

# pg_app_ok: boxoffice can log in to both DBs, has CREATEDB+REPLICATION, pg_trgm works in both.
pg_app_ok() {
  local db r
  for db in "${PG_DATABASES[@]}"; do
    r="$(pg_app "select rolcreatedb and rolreplication from pg_roles where rolname = current_user" "$db" 2>/dev/null)" || return 1
    [ "$r" = t ] || return 1
    r="$(pg_app "select count(*) from pg_extension where extname = 'pg_trgm'" "$db" 2>/dev/null)" || return 1
    [ "$r" = 1 ] || return 1
  done
}

pg_cluster_status() { # prints online/down/missing for MAJOR/main
  local line
  line="$(pg_lsclusters -h 2>/dev/null | awk -v v="$1" -v c="$PG_CLUSTER" '$1==v && $2==c {print $4}')"
  echo "${line:-missing}"
}

pg_setup_roles_and_dbs() {
  pg_super "DO \$\$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_USER') THEN
        CREATE ROLE $PG_USER LOGIN CREATEDB REPLICATION PASSWORD '$PG_PASSWORD';
      END IF;
    END \$\$;
    ALTER ROLE $PG_USER WITH LOGIN CREATEDB REPLICATION PASSWORD '$PG_PASSWORD';" >/dev/null \
    || die "postgres: could not create role $PG_USER" "$PG_LOG"
  local db
  if [ "$RESET_TEST_DB" -eq 1 ]; then
    log "postgres: resetting database boxoffice_test"
    pg_super "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = 'boxoffice_test' AND NOT active" >/dev/null || true
    pg_super "DROP DATABASE IF EXISTS boxoffice_test WITH (FORCE)" >/dev/null \
      || die "postgres: could not drop boxoffice_test" "$PG_LOG"
  fi
  for db in "${PG_DATABASES[@]}"; do
    if [ "$(pg_super "SELECT count(*) FROM pg_database WHERE datname = '$db'")" != 1 ]; then
      pg_super "CREATE DATABASE $db OWNER $PG_USER" >/dev/null || die "postgres: could not create database $db" "$PG_LOG"
      log "postgres: created database $db"
    fi
    pg_super "ALTER DATABASE $db OWNER TO $PG_USER" >/dev/null
    # pg_trgm is a trusted extension (owner could create it too); create it as superuser so it is there
    pg_super "CREATE EXTENSION IF NOT EXISTS pg_trgm" "$db" >/dev/null \
      || die "postgres: CREATE EXTENSION pg_trgm failed in $db" "$PG_LOG"
  done
}

pg_up() {
  local t0; t0="$(now_s)"
  # Fast path: a server already answers on 5432 and is configured as we need (ours from an
  # earlier run, or any other correctly configured server).
  if pg_ready && pg_settings_ok && pg_app_ok; then
    if [ "$RESET_TEST_DB" -eq 1 ]; then
      pg_super "select 1" >/dev/null 2>&1 || die "postgres: --reset-test-db needs the local postgres superuser"
      PG_LOG="/var/log/postgresql/postgresql-$(pg_major)-$PG_CLUSTER.log"
      pg_setup_roles_and_dbs
    fi
    log "postgres: already running and configured on $PG_HOST:$PG_PORT"
    return 0
  fi

  apt_install postgresql
  command -v pg_ctlcluster >/dev/null || die "postgres: pg_ctlcluster missing after installing postgresql"
  local major; major="$(pg_major)"
  [ -n "$major" ] || die "postgres: no server under /usr/lib/postgresql after installing postgresql"
  PG_LOG="/var/log/postgresql/postgresql-$major-$PG_CLUSTER.log"
  local status; status="$(pg_cluster_status "$major")"

  if pg_ready && [ "$status" != online ]; then
    die "postgres: a server not managed by these scripts answers on $PG_PORT but is not configured for boxoffice (needs wal_level=logical, role/password $PG_USER, databases ${PG_DATABASES[*]}, pg_trgm); stop it or configure it"
  fi

  if [ "$status" = missing ]; then
    log "postgres: creating cluster $major/$PG_CLUSTER"
    pg_createcluster "$major" "$PG_CLUSTER" --port "$PG_PORT" >/dev/null \
      || die "postgres: pg_createcluster $major $PG_CLUSTER failed"
    status=down
  fi

  local confdir="/etc/postgresql/$major/$PG_CLUSTER" need_restart=0
  [ -d "$confdir" ] || die "postgres: $confdir missing"
  # the cluster's own port (pg_lsclusters/pg_ctlcluster read it from postgresql.conf)
  if ! grep -qE "^[[:space:]]*port[[:space:]]*=[[:space:]]*$PG_PORT\b" "$confdir/postgresql.conf"; then
    sed -i -E "s/^[[:space:]]*#?[[:space:]]*port[[:space:]]*=.*/port = $PG_PORT\t\t\t\t# set by boxoffice up.sh/" "$confdir/postgresql.conf"
    need_restart=1
  fi
  grep -qE "^[[:space:]]*include_dir[[:space:]]*=[[:space:]]*'conf.d'" "$confdir/postgresql.conf" \
    || echo "include_dir = 'conf.d'" >> "$confdir/postgresql.conf"
  mkdir -p "$confdir/conf.d"
  if [ "$(cat "$confdir/conf.d/$PG_CONF_NAME" 2>/dev/null)" != "$(pg_conf_content)" ]; then
    pg_conf_content > "$confdir/conf.d/$PG_CONF_NAME"
    chown postgres:postgres "$confdir/conf.d/$PG_CONF_NAME" 2>/dev/null || true
    log "postgres: wrote $confdir/conf.d/$PG_CONF_NAME"
    need_restart=1
  fi

  # socket directory (tmpfs on some machines, gone after a reboot)
  install -d -m 2775 -o postgres -g postgres /var/run/postgresql

  if [ "$status" = online ]; then
    if [ "$need_restart" -eq 1 ] || [ "$(pg_super "show wal_level" 2>/dev/null)" != logical ]; then
      log "postgres: restarting cluster $major/$PG_CLUSTER to apply settings"
      pg_ctlcluster "$major" "$PG_CLUSTER" restart -m fast || die "postgres: restart failed" "$PG_LOG"
    fi
  else
    log "postgres: starting cluster $major/$PG_CLUSTER"
    pg_ctlcluster "$major" "$PG_CLUSTER" start || die "postgres: start failed" "$PG_LOG"
    # only a cluster this script started is down.sh's to stop; one already online was not
    started_record "pg $major/$PG_CLUSTER"
  fi
  wait_until 60 "postgres on $PG_HOST:$PG_PORT" pg_ready || die "postgres: not ready on $PG_HOST:$PG_PORT" "$PG_LOG"
  wait_until 30 "postgres superuser login" pg_super "select 1" || die "postgres: superuser cannot log in" "$PG_LOG"

  pg_setup_roles_and_dbs
  pg_settings_ok || die "postgres: settings not applied (wal_level/max_replication_slots/max_wal_senders)" "$PG_LOG"
  pg_app_ok || die "postgres: $PG_USER cannot use ${PG_DATABASES[*]} over TCP (password auth, CREATEDB, REPLICATION, pg_trgm)" "$PG_LOG"
  # pg_trgm usable by the application role
  [ "$(pg_app "select similarity('taylor', 'tayler') > 0.3" boxoffice_test)" = t ] \
    || die "postgres: pg_trgm similarity() does not work for $PG_USER" "$PG_LOG"
  ln -sfn "$PG_LOG" "$SERVICES_DIR/postgres.log"
  log "postgres: ready on $PG_HOST:$PG_PORT (cluster $major/$PG_CLUSTER, log $PG_LOG) in $(( $(now_s) - t0 ))s"
}

# ------------------------------------------------------------------------------------------------
# Redis: three independent masters
# ------------------------------------------------------------------------------------------------
# Debian's redis-server package may start its own persistent instance on 6379 from the package's
# post-install (when the machine lets services start). Stop that one: the lock nodes are ours.
stop_debian_default_redis() {
  local pidfile=/run/redis/redis-server.pid pid
  valid_redis_port 6379 || return 0
  [ -s "$pidfile" ] || return 0
  pid="$(cat "$pidfile")"
  kill -0 "$pid" 2>/dev/null || return 0
  log "redis: stopping the Debian package's default instance (pid $pid) to use our own on 6379"
  timeout 5 redis-cli -h 127.0.0.1 -p 6379 shutdown nosave >/dev/null 2>&1 || kill -TERM "$pid" 2>/dev/null || true
  wait_until 10 "the default redis to exit" bash -c "! kill -0 $pid" || kill -KILL "$pid" 2>/dev/null || true
}

redis_up() {
  local t0 port; t0="$(now_s)"
  command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1 || apt_install redis-server
  stop_debian_default_redis
  for port in "${REDIS_PORTS[@]}"; do
    redis_start "$port"
  done
  # independent masters, not replicas
  for port in "${REDIS_PORTS[@]}"; do
    [[ "$(timeout 3 redis-cli -h 127.0.0.1 -p "$port" info replication 2>/dev/null)" == *"role:master"* ]] \
      || die "redis $port is not a master" "$(redis_logfile "$port")"
  done
  redis_start "$QUEUE_REDIS_PORT" aof
  log "redis: 3 lock masters ready on ${REDIS_PORTS[*]}, the queue's primary on $QUEUE_REDIS_PORT, in $(( $(now_s) - t0 ))s"
}

# ------------------------------------------------------------------------------------------------
# Search engine
# ------------------------------------------------------------------------------------------------
search_up() {
  local t0; t0="$(now_s)"
  command -v curl >/dev/null 2>&1 || apt_install curl
  # A node that answers, or one of ours still booting, was there before this run.
  local already=0
  if search_healthy || pid_alive "$SEARCH_PIDFILE"; then already=1; fi
  bash "$REPO/scripts/search-engine/start.sh"
  if [ "$already" -eq 0 ] && pid_alive "$SEARCH_PIDFILE"; then started_record search; fi
  if [ "$VERIFY" -eq 1 ]; then
    bash "$REPO/scripts/search-engine/verify.sh" "$(search_url)" || die "search engine: verification failed" "$SEARCH_LOGFILE"
  fi
  log "search engine: ready in $(( $(now_s) - t0 ))s"
}

T_START="$(now_s)"
want pg && pg_up
want redis && redis_up
want search && search_up
log "all requested services up in $(( $(now_s) - T_START ))s; environment (source scripts/services/env.sh):"
bash "$REPO/scripts/services/env.sh" | sed 's/^/    /'
