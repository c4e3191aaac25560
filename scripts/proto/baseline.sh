#!/usr/bin/env bash
# Records the contracts committed at a revision (default HEAD) as the released contracts:
# scripts/proto/breaking.sh compares every later change against this image. Run it
# deliberately, when a release ships (npm run breaking:baseline), and commit the image; running
# it to silence a breaking-change failure defeats the check. A committed revision, not the
# working tree, so unfinished edits never become the baseline.
# Usage: scripts/proto/baseline.sh [REV]
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/proto/image-lib.sh
rev="${1:-HEAD}"
bash scripts/proto/deps.sh
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
tree_of_revision "$rev" "$scratch"
# Source info (comments, line numbers) is left out: it is not part of compatibility and would
# make the image change with every reworded comment.
image_of_tree "$scratch/proto" "$PWD/proto/breaking-baseline.binpb" --exclude-source-info
echo "wrote proto/breaking-baseline.binpb from the contracts at $rev ($(git rev-parse --short "$rev")); commit it with the release"
