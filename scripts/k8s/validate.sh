#!/usr/bin/env bash
# What CI checks about deploy/, on your machine: installs (or finds) helm, kubeconform and the
# Kubernetes schemas, then runs the test/deploy suites, which render every overlay and the chart,
# validate each object against the upstream schemas, lint the chart and assert the invariants.
# Usage: scripts/k8s/validate.sh [vitest args...]     (nothing here talks to a cluster)
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$REPO"
bash scripts/k8s/install-tools.sh >/dev/null
exec npx vitest run test/deploy "$@"
