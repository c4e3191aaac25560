#!/usr/bin/env bash
# Fails when proto/ breaks wire or generated-code compatibility (buf FILE rules) against a git
# revision: $1, default HEAD (run before committing), e.g. HEAD~1 in CI for the last commit.
# The revision's protos are built next to the same third-party deps, since buf cannot resolve
# deps fetched at build time from a bare git input.
set -euo pipefail
cd "$(dirname "$0")/../.."
against=${1:-HEAD}
bash scripts/proto/deps.sh
if ! git rev-parse --verify --quiet "$against^{commit}" >/dev/null || [ -z "$(git ls-tree "$against" proto)" ]; then
  echo "no proto/ at $against: nothing to compare"
  exit 0
fi
base=$(mktemp -d)
trap 'rm -rf "$base"' EXIT
git archive "$against" proto | tar -x -C "$base"
ln -s "$PWD/.proto-deps" "$base/.proto-deps"
mkdir -p "$base/node_modules" && ln -s "$PWD/node_modules/grpc-health-check" "$base/node_modules/grpc-health-check"
cp buf.yaml "$base/buf.yaml"
(cd "$base" && npx --prefix "$OLDPWD" buf build proto -o image.binpb)
npx buf breaking proto --against "$base/image.binpb"
