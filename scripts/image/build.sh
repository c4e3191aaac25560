#!/usr/bin/env bash
# `npm run image`: builds the project's image from the Dockerfile with podman, on base images
# assembled from packages (scripts/image/base.sh; no registry is reachable here), and prints its
# size and how long the build took. podman keeps every layer, so an unchanged tree rebuilds from
# cache in seconds and a change to services/ rebuilds only the build stage and what follows.
#
# Usage: scripts/image/build.sh [podman build options...]
#   BOXOFFICE_IMAGE         the tag to build (default localhost/boxoffice:dev)
#   BOXOFFICE_IMAGE_CACHE   where the bases' tarballs and containers.conf live (base.sh)
# Needs root and podman + runc + debootstrap (scripts/image/install-podman.sh installs them).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
IMAGE="${BOXOFFICE_IMAGE:-localhost/boxoffice:dev}"

log() { printf '[image %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

t0="$(date +%s)"
bases="$(bash "$HERE/base.sh")"
BUILD_BASE="$(sed -n 's/^BUILD_BASE=//p' <<<"$bases")"
RUNTIME_BASE="$(sed -n 's/^RUNTIME_BASE=//p' <<<"$bases")"
t1="$(date +%s)"
log "bases ready in $(( t1 - t0 ))s: $BUILD_BASE, $RUNTIME_BASE"

# --network host: RUN steps reach the npm registry exactly as this machine does (its resolver,
# its egress), with no bridge or NAT in between; --pull=never: the bases are local, and no
# registry would answer anyway.
"$HERE/podman.sh" build --network host --pull=never --layers \
  --build-arg "BUILD_BASE=$BUILD_BASE" --build-arg "RUNTIME_BASE=$RUNTIME_BASE" \
  -t "$IMAGE" -f "$REPO/Dockerfile" "$@" "$REPO"
t2="$(date +%s)"

size="$("$HERE/podman.sh" image inspect --format '{{.Size}}' "$IMAGE")"
log "built $IMAGE in $(( t2 - t1 ))s (bases $(( t1 - t0 ))s): $(( size / 1000000 )) MB"
echo "IMAGE=$IMAGE"
echo "IMAGE_SIZE_BYTES=$size"
echo "IMAGE_BUILD_SECONDS=$(( t2 - t0 ))"
