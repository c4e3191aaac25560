#!/usr/bin/env bash
# Lints our contracts (third-party modules of the workspace follow their own conventions).
set -euo pipefail
cd "$(dirname "$0")/../.."
bash scripts/proto/deps.sh
npx buf lint proto
npx buf format --diff --exit-code proto
