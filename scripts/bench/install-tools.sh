#!/usr/bin/env bash
# Builds the gRPC tools the benchmarks and tests drive (no binary downloads here: go install from
# the module proxy) into a cache outside the clone; skips what is already there.
#   bin/ghz      github.com/bojand/ghz/cmd/ghz             (gRPC load, a separate Go process)
#   bin/grpcurl  github.com/fullstorydev/grpcurl/cmd/grpcurl (server reflection, test/services)
# autocannon (HTTP load) is an npm devDependency. redis-benchmark and pgbench come with the
# Debian packages scripts/services/up.sh installs.
#
# Usage: scripts/bench/install-tools.sh [--print-dir]
#   BOXOFFICE_BENCH_TOOLS   cache directory (default ${XDG_CACHE_HOME:-$HOME/.cache}/boxoffice/bench-tools)
set -euo pipefail

GHZ_VERSION=v0.121.0
GRPCURL_VERSION=v1.9.3
TOOLS="${BOXOFFICE_BENCH_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/boxoffice/bench-tools}"
if [ "${1:-}" = "--print-dir" ]; then echo "$TOOLS"; exit 0; fi
mkdir -p "$TOOLS/bin"

# build NAME VERSION MODULE: go install MODULE@VERSION into $TOOLS/bin, once per version.
build() {
  local name="$1" version="$2" module="$3"
  if [ -x "$TOOLS/bin/$name" ] && [ "$(cat "$TOOLS/.$name.version" 2>/dev/null)" = "$version" ]; then
    echo "[bench-tools] $name $version present"
    return
  fi
  command -v go >/dev/null 2>&1 || { echo "[bench-tools] ERROR: go is needed to build $name" >&2; exit 1; }
  echo "[bench-tools] building $name $version with go install (first time: a minute or two)"
  GOBIN="$TOOLS/bin" GOFLAGS=-buildvcs=false go install -ldflags "-s -w" "$module@$version"
  echo "$version" > "$TOOLS/.$name.version"
  echo "[bench-tools] $name ready: $TOOLS/bin/$name"
}

build ghz "$GHZ_VERSION" github.com/bojand/ghz/cmd/ghz
build grpcurl "$GRPCURL_VERSION" github.com/fullstorydev/grpcurl/cmd/grpcurl
