#!/usr/bin/env bash
# Third-party .proto sources our contracts import, fetched from package registries at build
# time instead of being copied into the repository:
#  - buf/validate/validate.proto ships inside the protovalidate jar on Maven Central (the Buf
#    Schema Registry is unreachable from our machines, and no npm package ships the source);
#  - grpc/health/v1 comes from the npm package grpc-health-check (node_modules).
# The version is pinned to match the @bufbuild/protovalidate runtime in package.json.
set -euo pipefail
cd "$(dirname "$0")/../.."
PROTOVALIDATE_VERSION=1.3.0
dest=.proto-deps/protovalidate
if [ -f "$dest/buf/validate/validate.proto" ] && [ "$(cat "$dest/VERSION" 2>/dev/null)" = "$PROTOVALIDATE_VERSION" ]; then
  exit 0
fi
command -v mvn >/dev/null || { echo "scripts/proto/deps.sh: Maven (mvn) is needed to fetch buf/validate/validate.proto; install it (apt-get install maven)" >&2; exit 1; }
rm -rf "$dest" && mkdir -p "$dest"
# Maven runs outside the repo: without a pom it leaves marker folders in its working directory.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && mvn -q -B dependency:unpack \
  -Dartifact="build.buf:protovalidate:${PROTOVALIDATE_VERSION}:jar" \
  -DoutputDirectory="$OLDPWD/$dest" \
  -Dmdep.unpack.includes='buf/validate/validate.proto' >&2)
test -f "$dest/buf/validate/validate.proto"
echo "$PROTOVALIDATE_VERSION" > "$dest/VERSION"
