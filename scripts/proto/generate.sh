#!/usr/bin/env bash
# Regenerates gen/ from proto/ (or into $1/gen, for the freshness check), then records what it
# was generated from in gen/generated-from.json, which npm run build checks without Maven.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash scripts/proto/deps.sh
if [ $# -gt 0 ]; then
  npx buf generate --output "$1"
  node scripts/proto/gen-digest.mjs write "$1/gen"
else
  npx buf generate
  node scripts/proto/gen-digest.mjs write gen
fi
