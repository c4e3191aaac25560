#!/usr/bin/env bash
# Stop the search engine JVM started by start.sh (idempotent, quiet when already stopped).
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/services/lib.sh"
stop_pidfile "$SEARCH_PIDFILE" "${SEARCH_STOP_TIMEOUT:-30}" "search engine"
