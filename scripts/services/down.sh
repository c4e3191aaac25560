#!/usr/bin/env bash
# Stop what scripts/services/up.sh started: the search engine JVM, the three Redis masters and
# the PostgreSQL cluster. Idempotent; prints only what it actually stops.
# Usage: scripts/services/down.sh [--only pg|redis|search]...
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

ONLY=()
while [ $# -gt 0 ]; do
  case "$1" in
    --only) shift; ONLY+=("${1:?--only needs pg, redis or search}") ;;
    -h|--help) sed -n '2,5p' "$0"; exit 0 ;;
    *) die "unknown argument: $1" ;;
  esac
  shift
done
want() {
  [ "${#ONLY[@]}" -eq 0 ] && return 0
  local x; for x in "${ONLY[@]}"; do [ "$x" = "$1" ] && return 0; done; return 1
}

rc=0
if want search; then
  bash "$REPO/scripts/search-engine/stop.sh" || rc=1
fi
if want redis; then
  for port in "${REDIS_PORTS[@]}"; do
    # only ours (pid file) or, failing that, whatever answers PING on our ports
    if command -v redis-cli >/dev/null 2>&1; then redis_stop "$port" || rc=1
    else stop_pidfile "$(redis_pidfile "$port")" 15 "redis $port" || rc=1; fi
  done
fi
if want pg && command -v pg_lsclusters >/dev/null 2>&1; then
  major="$(pg_major)"
  if [ -n "$major" ] && pg_lsclusters -h 2>/dev/null | awk -v v="$major" -v c="$PG_CLUSTER" '$1==v && $2==c && $4=="online" {f=1} END {exit !f}'; then
    if pg_ctlcluster "$major" "$PG_CLUSTER" stop -m fast; then
      log "stopped postgres cluster $major/$PG_CLUSTER"
    else
      warn "postgres cluster $major/$PG_CLUSTER did not stop"; rc=1
    fi
  fi
fi
exit "$rc"
