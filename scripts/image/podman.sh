#!/usr/bin/env bash
# podman as it runs on these machines: `scripts/image/podman.sh ARGS...` is `podman ARGS...` with
# the settings the sandbox needs, for the scripts here and for test/image alike:
#   - containers.conf with `default_ulimits = []`: the sandbox refuses raising RLIMIT_NOFILE/NPROC,
#     which podman does for every container by default. Ours lives in the cache and is pointed to
#     by CONTAINERS_CONF, so the machine's /etc/containers stays as it is.
#   - the cgroupfs manager (no systemd) and runc (crun fails here: "cgroups in hybrid mode").
# Run as root: rootless podman needs subordinate ids the sandbox does not grant.
set -euo pipefail

CACHE="${BOXOFFICE_IMAGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/boxoffice/image}"
CONF="$CACHE/containers.conf"
if [ ! -s "$CONF" ]; then
  mkdir -p "$CACHE"
  printf '[containers]\ndefault_ulimits = []\n' > "$CONF.$$" && mv "$CONF.$$" "$CONF"
fi
export CONTAINERS_CONF="$CONF"
exec podman --cgroup-manager=cgroupfs --runtime runc "$@"
