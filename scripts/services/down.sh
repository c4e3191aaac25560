#!/usr/bin/env bash
# Stop what scripts/services/up.sh started, and only that: the servers recorded in
# .services/started (the search engine JVM, Redis lock nodes, the PostgreSQL cluster). A server
# that was already running when up.sh came (the machine's own PostgreSQL, a Redis someone else
# runs on 6379) is left alone. Idempotent; prints only what it actually stops.
# Usage: scripts/services/down.sh [--only pg|redis|search]...
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

ONLY=()
while [ $# -gt 0 ]; do
  case "$1" in
    --only) shift; ONLY+=("${1:?--only needs pg, redis or search}") ;;
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    *) die "unknown argument: $1" ;;
  esac
  shift
done
want() {
  [ "${#ONLY[@]}" -eq 0 ] && return 0
  local x; for x in "${ONLY[@]}"; do [ "$x" = "$1" ] && return 0; done; return 1
}

if [ ! -s "$STARTED_FILE" ]; then
  log "nothing to stop: up.sh started none of the running services ($STARTED_FILE is empty)"
  exit 0
fi

rc=0
if want search && started_has search; then
  if bash "$REPO/scripts/search-engine/stop.sh"; then started_forget search; else rc=1; fi
fi
if want redis; then
  for port in $(started_entries redis); do
    # by our pid file only: whatever else answers on the port is not ours to stop
    if stop_pidfile "$(redis_pidfile "$port")" 15 "redis $port"; then started_forget "redis $port"; else rc=1; fi
  done
fi
if want pg; then
  for cluster in $(started_entries pg); do
    version="${cluster%/*}" name="${cluster#*/}"
    if ! pg_lsclusters -h 2>/dev/null | awk -v v="$version" -v c="$name" '$1==v && $2==c && $4=="online" {f=1} END {exit !f}'; then
      started_forget "pg $cluster"
    elif pg_ctlcluster "$version" "$name" stop -m fast; then
      started_forget "pg $cluster"
      log "stopped postgres cluster $cluster"
    else
      warn "postgres cluster $cluster did not stop"; rc=1
    fi
  done
fi
exit "$rc"
