#!/usr/bin/env bash
# Fails when our contracts break wire or generated-code compatibility (buf FILE rules) against
#   1. the committed baseline image proto/breaking-baseline.binpb: the contracts as last
#      released. It is always there, so a shallow or one-commit clone (CI's depth is unknown)
#      still compares against something real. Refresh it deliberately, when a release ships,
#      with `npm run breaking:baseline`;
#   2. a git revision (default HEAD~1), when this clone's history has it.
# Usage: scripts/proto/breaking.sh [--input DIR] [--against-git REV]
#   --input DIR        check DIR (a copy of proto/) instead of proto/ (tests use it)
#   --against-git REV  the revision of step 2 (HEAD before committing, HEAD~1 in CI)
set -euo pipefail
cd "$(dirname "$0")/../.."
BASELINE=proto/breaking-baseline.binpb
input_dir=""
against=HEAD~1
while [ $# -gt 0 ]; do
  case "$1" in
    --input) shift; input_dir="${1:?--input needs a directory}" ;;
    --against-git) shift; against="${1:?--against-git needs a revision}" ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "breaking.sh: unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done
[ -f "$BASELINE" ] || { echo "breaking.sh: $BASELINE is missing; create it with npm run breaking:baseline" >&2; exit 1; }
bash scripts/proto/deps.sh

source scripts/proto/image-lib.sh
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

subject=proto
label=proto/
if [ -n "$input_dir" ]; then
  image_of_tree "$input_dir" "$scratch/input.binpb"
  subject="$scratch/input.binpb"
  label="$input_dir"
fi

npx buf breaking "$subject" --against "$BASELINE" --exclude-imports
echo "breaking: $label is compatible with the released contracts ($BASELINE)"

if ! git rev-parse --verify --quiet "$against^{commit}" >/dev/null; then
  echo "breaking: $against is not in this clone's history (shallow or first commit); checked against the baseline only"
elif [ -z "$(git ls-tree "$against" proto)" ]; then
  echo "breaking: $against has no proto/; checked against the baseline only"
else
  tree_of_revision "$against" "$scratch/rev"
  image_of_tree "$scratch/rev/proto" "$scratch/rev.binpb"
  npx buf breaking "$subject" --against "$scratch/rev.binpb" --exclude-imports
  echo "breaking: $label is compatible with $against"
fi
