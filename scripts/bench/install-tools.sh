#!/usr/bin/env bash
# Builds the load tools the benchmarks drive (no binary downloads here: go install from the
# module proxy) into a cache outside the clone; skips what is already there.
#   bin/ghz   github.com/bojand/ghz/cmd/ghz   (gRPC load, a separate Go process)
# autocannon (HTTP load) is an npm devDependency. redis-benchmark and pgbench come with the
# Debian packages scripts/services/up.sh installs.
#
# Usage: scripts/bench/install-tools.sh [--print-dir]
#   BOXOFFICE_BENCH_TOOLS   cache directory (default ${XDG_CACHE_HOME:-$HOME/.cache}/boxoffice/bench-tools)
set -euo pipefail

GHZ_VERSION=v0.121.0
TOOLS="${BOXOFFICE_BENCH_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/boxoffice/bench-tools}"
if [ "${1:-}" = "--print-dir" ]; then echo "$TOOLS"; exit 0; fi
mkdir -p "$TOOLS/bin"

if [ -x "$TOOLS/bin/ghz" ] && [ "$(cat "$TOOLS/.ghz.version" 2>/dev/null)" = "$GHZ_VERSION" ]; then
  echo "[bench-tools] ghz $GHZ_VERSION present"
  exit 0
fi
command -v go >/dev/null 2>&1 || { echo "[bench-tools] ERROR: go is needed to build ghz" >&2; exit 1; }
echo "[bench-tools] building ghz $GHZ_VERSION with go install (first time: a minute or two)"
GOBIN="$TOOLS/bin" GOFLAGS=-buildvcs=false go install -ldflags "-s -w" "github.com/bojand/ghz/cmd/ghz@$GHZ_VERSION"
echo "$GHZ_VERSION" > "$TOOLS/.ghz.version"
echo "[bench-tools] ghz ready: $TOOLS/bin/ghz"
