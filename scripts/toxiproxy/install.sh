#!/usr/bin/env bash
# Builds Toxiproxy (a TCP proxy that adds latency and cuts on demand, driven over HTTP) for the
# tests that slow one lock node (test/booking/booking-slow-lock-node.test.ts) and the chaos run's
# network faults (chaos/network.ts, test/chaos). No binary
# downloads here: go install from the module proxy, into a cache outside the clone, once per
# version. v2.5.0's server command is cmd/server, so go names the binary `server`; it is
# renamed to toxiproxy-server.
#
# Usage: scripts/toxiproxy/install.sh [--print-bin]
#   BOXOFFICE_TOXIPROXY_DIR   cache directory (default ${XDG_CACHE_HOME:-$HOME/.cache}/boxoffice/toxiproxy)
set -euo pipefail

VERSION=v2.5.0
DIR="${BOXOFFICE_TOXIPROXY_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/boxoffice/toxiproxy}"
BIN="$DIR/bin/toxiproxy-server"
if [ "${1:-}" = "--print-bin" ]; then echo "$BIN"; exit 0; fi

if [ -x "$BIN" ] && [ "$(cat "$DIR/.version" 2>/dev/null)" = "$VERSION" ]; then
  echo "[toxiproxy] $VERSION present: $BIN"
  exit 0
fi
command -v go >/dev/null 2>&1 || { echo "[toxiproxy] ERROR: go is needed to build toxiproxy" >&2; exit 1; }
echo "[toxiproxy] building $VERSION with go install (first time: a minute or two)"
mkdir -p "$DIR/build" "$DIR/bin"
GOBIN="$DIR/build" GOFLAGS=-buildvcs=false go install -ldflags "-s -w" "github.com/Shopify/toxiproxy/v2/cmd/server@$VERSION"
mv "$DIR/build/server" "$BIN"
echo "$VERSION" > "$DIR/.version"
echo "[toxiproxy] ready: $BIN"
