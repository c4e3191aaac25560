#!/usr/bin/env bash
# A local trace viewer with a web UI: Zipkin's server (its Lens UI included), one executable jar
# from Maven Central fetched once with Maven into a cache outside the clone, run with in-memory
# storage on this machine only. Jaeger built from its Go module has no UI (docs/tracing.md), so
# this is the viewer to look at traces in; the services export to it with
# OTEL_TRACES_EXPORTER=zipkin OTEL_EXPORTER_ZIPKIN_ENDPOINT=http://127.0.0.1:9411/api/v2/spans.
#
#   npm run tracing:zipkin                      # fetch if needed, start in the background, print the UI URL
#   bash scripts/tracing/zipkin.sh --fetch      # fetch only
#   bash scripts/tracing/zipkin.sh --print-jar
#   bash scripts/tracing/zipkin.sh --stop       # stop the one this script started
#
#   BOXOFFICE_TRACING_TOOLS   cache directory (default ${XDG_CACHE_HOME:-$HOME/.cache}/boxoffice/tracing-tools)
#   ZIPKIN_HOST, ZIPKIN_PORT  where it listens (127.0.0.1, 9411)
#
# Idempotent: when a Zipkin already answers on the address, it is left alone and its URL printed.
# Jaeger's all-in-one (npm run tracing:jaeger) also listens on 9411, for its own Zipkin receiver:
# run one of the two at a time, or give this one another ZIPKIN_PORT.
set -euo pipefail

ZIPKIN_VERSION=3.5.1
TOOLS="${BOXOFFICE_TRACING_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/boxoffice/tracing-tools}"
JAR="$TOOLS/zipkin/zipkin-server-$ZIPKIN_VERSION-exec.jar"
HOST="${ZIPKIN_HOST:-127.0.0.1}"
PORT="${ZIPKIN_PORT:-9411}"
URL="http://$HOST:$PORT"
PID_FILE="$TOOLS/zipkin/zipkin-$PORT.pid"
LOG="$TOOLS/zipkin/zipkin-$PORT.log"

if [ "${1:-}" = "--print-jar" ]; then echo "$JAR"; exit 0; fi

fetch() {
  if [ -s "$JAR" ]; then return; fi
  command -v mvn >/dev/null 2>&1 || { echo "[zipkin] ERROR: Maven (mvn) is needed to fetch Zipkin" >&2; exit 1; }
  command -v java >/dev/null 2>&1 || { echo "[zipkin] ERROR: Java 17 or newer is needed to run Zipkin" >&2; exit 1; }
  echo "[zipkin] fetching io.zipkin:zipkin-server:$ZIPKIN_VERSION (exec jar, ~130 MB) with Maven"
  mkdir -p "$TOOLS/zipkin"
  mvn -q -B -Dstyle.color=never dependency:copy "-Dartifact=io.zipkin:zipkin-server:$ZIPKIN_VERSION:jar:exec" "-DoutputDirectory=$TOOLS/zipkin"
  [ -s "$JAR" ] || { echo "[zipkin] ERROR: Maven gave no $JAR" >&2; exit 1; }
}

# Zipkin's health endpoint answers once the collector and the UI are up.
up() { curl -fsS -o /dev/null --max-time 2 "$URL/health" 2>/dev/null; }

if [ "${1:-}" = "--stop" ]; then
  if [ -f "$PID_FILE" ] && kill "$(cat "$PID_FILE")" 2>/dev/null; then echo "[zipkin] stopped"; fi
  rm -f "$PID_FILE"
  exit 0
fi

fetch
if [ "${1:-}" = "--fetch" ]; then exit 0; fi

if ! up; then
  echo "[zipkin] starting $ZIPKIN_VERSION on $URL (log: $LOG)"
  # In-memory storage: a local viewer for the traces of this session, nothing kept. The JVM is
  # capped so it leaves room for the services on a small machine.
  nohup java -Xmx512m -jar "$JAR" --server.address="$HOST" --server.port="$PORT" --STORAGE_TYPE=mem \
    >"$LOG" 2>&1 </dev/null &
  echo $! >"$PID_FILE"
  for _ in $(seq 1 120); do
    up && break
    kill -0 "$(cat "$PID_FILE")" 2>/dev/null || { echo "[zipkin] ERROR: Zipkin exited; see $LOG" >&2; tail -20 "$LOG" >&2; exit 1; }
    sleep 1
  done
  up || { echo "[zipkin] ERROR: Zipkin did not answer on $URL within 120 s; see $LOG" >&2; exit 1; }
fi
echo "[zipkin] UI: $URL/zipkin/  (spans to $URL/api/v2/spans)"
