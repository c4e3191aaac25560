#!/usr/bin/env bash
# Installs what building and running the image needs on a Debian machine, when missing: podman,
# runc (crun, podman's default, fails in this sandbox) and debootstrap (scripts/image/base.sh).
# podman's settings for the sandbox are in scripts/image/podman.sh, not in /etc.
# Needs root; a warm run only asks dpkg and takes well under a second.
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/../services" && pwd)/lib.sh"   # apt_install

apt_install podman runc debootstrap
podman --version
