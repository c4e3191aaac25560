#!/usr/bin/env bash
# Stop, start or inspect ONE of the three Redis lock nodes (tests use it to prove that Redlock
# survives the loss of a minority of nodes).
# Usage: scripts/services/redis-node.sh stop|start|restart|status PORT   (PORT: 6379, 6380 or 6381)
# Exit status of `status`: 0 when the node answers PING, 1 otherwise.
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

cmd="${1:-}"; port="${2:-}"
[ -n "$cmd" ] && [ -n "$port" ] || { sed -n '2,5p' "$0"; exit 2; }
valid_redis_port "$port" || die "port $port is not one of the lock nodes (${REDIS_PORTS[*]})"
case "$cmd" in
  stop)    redis_stop "$port" ;;
  start)   redis_start "$port" ;;
  restart) redis_stop "$port"; redis_start "$port" ;;
  status)  if redis_ping "$port"; then echo "redis $port: up"; else echo "redis $port: down"; exit 1; fi ;;
  *) die "unknown command: $cmd (stop|start|restart|status)" ;;
esac
