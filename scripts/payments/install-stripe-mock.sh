#!/usr/bin/env bash
# Builds stripe-mock, Stripe's own mock of its API, which the Stripe adapter's tests run against
# (no binary downloads here: go install from the module proxy), into a cache outside the clone;
# skips the build when that version is already there.
#
# Usage: scripts/payments/install-stripe-mock.sh [--print-bin]
# Writes bin/stripe-mock and stripe-mock-fixtures.json (see below) under the cache directory.
#   BOXOFFICE_PAYMENT_TOOLS   cache directory (default ${XDG_CACHE_HOME:-$HOME/.cache}/boxoffice/payment-tools)
set -euo pipefail

STRIPE_MOCK_VERSION=v0.197.0
TOOLS="${BOXOFFICE_PAYMENT_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/boxoffice/payment-tools}"
if [ "${1:-}" = "--print-bin" ]; then echo "$TOOLS/bin/stripe-mock"; exit 0; fi
mkdir -p "$TOOLS/bin"

if [ -x "$TOOLS/bin/stripe-mock" ] && [ -f "$TOOLS/stripe-mock-fixtures.json" ] && [ "$(cat "$TOOLS/.stripe-mock.version" 2>/dev/null)" = "$STRIPE_MOCK_VERSION" ]; then
  echo "[payment-tools] stripe-mock $STRIPE_MOCK_VERSION present"
  exit 0
fi
command -v go >/dev/null 2>&1 || { echo "[payment-tools] ERROR: go is needed to build stripe-mock" >&2; exit 1; }
echo "[payment-tools] building stripe-mock $STRIPE_MOCK_VERSION with go install (first time: a minute or two)"
GOBIN="$TOOLS/bin" GOFLAGS=-buildvcs=false go install -ldflags "-s -w" "github.com/stripe/stripe-mock@$STRIPE_MOCK_VERSION"
# stripe-mock answers every PaymentIntent with its canned fixture, whose status is
# requires_payment_method: what a declined confirm looks like. Our authorize confirms with manual
# capture, which real Stripe answers with requires_capture, so the fixture copy we run with says
# that (nothing else changes). The bundled fixtures come from the module just built.
fixtures="$(go env GOMODCACHE)/github.com/stripe/stripe-mock@$STRIPE_MOCK_VERSION/embedded/openapi/fixtures3.json"
node -e '
  const fs = require("node:fs");
  const fixtures = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
  Object.assign(fixtures.resources.payment_intent, { status: "requires_capture", capture_method: "manual", last_payment_error: null });
  fs.writeFileSync(process.argv[2], JSON.stringify(fixtures));
' "$fixtures" "$TOOLS/stripe-mock-fixtures.json"
echo "$STRIPE_MOCK_VERSION" > "$TOOLS/.stripe-mock.version"
echo "[payment-tools] stripe-mock ready: $TOOLS/bin/stripe-mock"
