#!/usr/bin/env bash
# Regenerates gen/ from proto/ (or into $1, for the freshness check).
set -euo pipefail
cd "$(dirname "$0")/../.."
bash scripts/proto/deps.sh
if [ $# -gt 0 ]; then
  npx buf generate --output "$1"
else
  npx buf generate
fi
