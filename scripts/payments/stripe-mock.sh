#!/usr/bin/env bash
# Starts or stops the stripe-mock the Stripe adapter's tests run against (test/payments), on
# 127.0.0.1:${STRIPE_MOCK_PORT:-12111}, HTTP. Idempotent: start leaves a stripe-mock already
# answering there alone (and does not own it), stop ends only the process start started
# (its pid file). Builds it first when missing (install-stripe-mock.sh).
#
# Usage: scripts/payments/stripe-mock.sh start|stop|url
set -euo pipefail
cd "$(dirname "$0")/../.."
PORT="${STRIPE_MOCK_PORT:-12111}"
URL="http://127.0.0.1:$PORT"
STATE=.services
PIDFILE="$STATE/stripe-mock.pid"
mkdir -p "$STATE"

# node, not curl: every machine that runs the tests has it.
answering() { node -e 'fetch(process.argv[1], { headers: { authorization: "Bearer sk_test_123" }, signal: AbortSignal.timeout(1000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$URL/v1/payment_intents?limit=1"; }

case "${1:-}" in
  start)
    if answering; then echo "[stripe-mock] already answering on $URL"; exit 0; fi
    bash scripts/payments/install-stripe-mock.sh
    bin="$(bash scripts/payments/install-stripe-mock.sh --print-bin)"
    # -http-addr alone leaves stripe-mock's HTTPS listener on :12112, every interface (v0.197.0
    # counts only -http/-http-port as choosing HTTP): it is moved to a free loopback port instead.
    nohup "$bin" -http-addr "127.0.0.1:$PORT" -https-addr 127.0.0.1:0 -fixtures "$(dirname "$(dirname "$bin")")/stripe-mock-fixtures.json" >"$STATE/stripe-mock.log" 2>&1 &
    echo $! > "$PIDFILE"
    for _ in $(seq 1 50); do answering && { echo "[stripe-mock] ready on $URL (pid $(cat "$PIDFILE"))"; exit 0; }; sleep 0.2; done
    echo "[stripe-mock] ERROR: not answering on $URL; log: $STATE/stripe-mock.log" >&2
    tail -5 "$STATE/stripe-mock.log" >&2 || true
    exit 1
    ;;
  stop)
    if [ -f "$PIDFILE" ]; then
      pid="$(cat "$PIDFILE")"
      kill "$pid" 2>/dev/null && echo "[stripe-mock] stopped (pid $pid)" || true
      rm -f "$PIDFILE"
    fi
    ;;
  url) echo "$URL" ;;
  *) echo "usage: $0 start|stop|url" >&2; exit 2 ;;
esac
