#!/usr/bin/env bash
# A local trace viewer: Jaeger v1.75.0 (the v2 "jaeger" binary of that release), all-in-one with
# in-memory storage, listening on this machine only: OTLP/HTTP on 4318 (what the services
# export to), OTLP/gRPC on 4317, the UI and its query API on 16686. Built once from the Go
# module proxy (no binary downloads) into a cache outside the clone. docs/tracing.md.
#
#   npm run tracing:jaeger                    # build if needed, then run in the foreground
#   bash scripts/tracing/jaeger.sh --build    # build only
#   bash scripts/tracing/jaeger.sh --print-bin
#   then start the services with OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318
#
#   BOXOFFICE_TRACING_TOOLS   cache directory (default ${XDG_CACHE_HOME:-$HOME/.cache}/boxoffice/tracing-tools)
#
# `go install github.com/jaegertracing/jaeger/cmd/jaeger@v1.75.0` refuses the module (its go.mod
# has a replace directive, which go install does not honour), so the module's source is
# fetched with `go mod download` and built as the main module. The Go module carries no web UI
# (jaeger-ui is a git submodule built with npm, not part of the module): this build's UI page
# is Jaeger's placeholder, while its query API (/api/traces/<id>) works, and
# scripts/tracing/confirm-trace-screenshot.ts draws a trace from it. For a viewer with a UI: zipkin.sh.
set -euo pipefail

JAEGER_VERSION=v1.75.0
MODULE=github.com/jaegertracing/jaeger
TOOLS="${BOXOFFICE_TRACING_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/boxoffice/tracing-tools}"
BIN="$TOOLS/bin/jaeger"
if [ "${1:-}" = "--print-bin" ]; then echo "$BIN"; exit 0; fi

build() {
  if [ -x "$BIN" ] && [ "$(cat "$TOOLS/.jaeger.version" 2>/dev/null)" = "$JAEGER_VERSION" ]; then
    echo "[jaeger] $JAEGER_VERSION present: $BIN"
    return
  fi
  command -v go >/dev/null 2>&1 || { echo "[jaeger] ERROR: go is needed to build Jaeger" >&2; exit 1; }
  echo "[jaeger] building $JAEGER_VERSION (first time: several minutes on two cores)"
  local source
  source="$(cd "$(mktemp -d)" && GOFLAGS=-mod=mod go mod download -json "$MODULE@$JAEGER_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [ -d "$source" ] || { echo "[jaeger] ERROR: go mod download gave no source for $MODULE@$JAEGER_VERSION" >&2; exit 1; }
  # The module cache is read-only; build from a writable copy.
  rm -rf "$TOOLS/src/jaeger-$JAEGER_VERSION"
  mkdir -p "$TOOLS/src" "$TOOLS/bin"
  cp -r "$source" "$TOOLS/src/jaeger-$JAEGER_VERSION"
  chmod -R u+w "$TOOLS/src/jaeger-$JAEGER_VERSION"
  (cd "$TOOLS/src/jaeger-$JAEGER_VERSION" && GOFLAGS=-buildvcs=false go build -ldflags "-s -w" -o "$BIN" ./cmd/jaeger)
  echo "$JAEGER_VERSION" > "$TOOLS/.jaeger.version"
  echo "[jaeger] ready: $BIN"
}

build
if [ "${1:-}" = "--build" ]; then exit 0; fi
# Without --config the binary runs its all-in-one configuration; JAEGER_LISTEN_HOST is where every
# port of it listens (this machine only unless told otherwise).
export JAEGER_LISTEN_HOST="${JAEGER_LISTEN_HOST:-127.0.0.1}"
echo "[jaeger] OTLP/HTTP http://$JAEGER_LISTEN_HOST:4318, UI and API http://$JAEGER_LISTEN_HOST:16686"
exec "$BIN"
