#!/usr/bin/env bash
# Installs what validating deploy/ needs, into a cache outside the clone, and skips every part
# that is already there (a warm run takes well under a second):
#   bin/helm          go install helm.sh/helm/v3/cmd/helm        (no binary download is possible here)
#   bin/kubeconform   go install github.com/yannh/kubeconform/cmd/kubeconform
#   bin/promtool      go install github.com/prometheus/prometheus/cmd/promtool (checks and unit-tests
#                     the alert rules in deploy/monitoring)
#   schemas/v<K>-standalone-strict/   Kubernetes JSON schemas for each version in K8S_SCHEMA_VERSIONS,
#                     from the PyPI package kubernetes-validate (generated from the upstream
#                     OpenAPI documents of each Kubernetes release), rewritten for kubeconform
# kubectl (with kustomize) is expected on PATH.
#
# Usage: scripts/k8s/install-tools.sh [--print-dir]
#   BOXOFFICE_K8S_TOOLS   cache directory (default ${XDG_CACHE_HOME:-$HOME/.cache}/boxoffice/k8s-tools)
# Prints the cache directory on its last line; test/deploy reads the same default.
set -euo pipefail

HELM_VERSION=v3.22.0
KUBECONFORM_VERSION=v0.8.0
PROMETHEUS_VERSION=v0.316.0
KUBERNETES_VALIDATE_VERSION=1.37.0
# the current release and the oldest one upstream still supports
K8S_SCHEMA_VERSIONS=(1.37.0 1.35.0)
# helm's built-in default for .Capabilities.KubeVersion (its Makefile sets it the same way)
HELM_K8S_MINOR=37

TOOLS="${BOXOFFICE_K8S_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/boxoffice/k8s-tools}"
if [ "${1:-}" = "--print-dir" ]; then echo "$TOOLS"; exit 0; fi

log() { printf '[k8s-tools] %s\n' "$*" >&2; }
die() { printf '[k8s-tools] ERROR: %s\n' "$*" >&2; exit 1; }
mkdir -p "$TOOLS/bin" "$TOOLS/schemas"

# stamp NAME VERSION: true when NAME was installed at VERSION (and its file is there)
stamp_ok() { [ -e "$TOOLS/$1" ] && [ "$(cat "$TOOLS/.$(basename "$1").version" 2>/dev/null)" = "$2" ]; }
stamp() { echo "$2" > "$TOOLS/.$(basename "$1").version"; }

go_tool() { # go_tool NAME MODULE@VERSION [LDFLAGS]
  local name="$1" pkg="$2" ldflags="${3:-}" version="${2##*@}" t0
  if stamp_ok "bin/$name" "$version"; then return 0; fi
  command -v go >/dev/null 2>&1 || die "go is needed to build $name (no binary downloads here)"
  log "building $name $version with go install (first time: a few minutes)"
  t0="$(date +%s)"
  GOBIN="$TOOLS/bin" GOFLAGS=-buildvcs=false go install -ldflags "-s -w $ldflags" "$pkg"
  stamp "bin/$name" "$version"
  log "$name $version ready in $(( $(date +%s) - t0 ))s"
}

go_tool helm "helm.sh/helm/v3/cmd/helm@$HELM_VERSION" \
  "-X helm.sh/helm/v3/internal/version.version=$HELM_VERSION \
   -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=$HELM_K8S_MINOR \
   -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=$HELM_K8S_MINOR"
go_tool kubeconform "github.com/yannh/kubeconform/cmd/kubeconform@$KUBECONFORM_VERSION"
go_tool promtool "github.com/prometheus/prometheus/cmd/promtool@$PROMETHEUS_VERSION"

schemas_ok() {
  local v
  for v in "${K8S_SCHEMA_VERSIONS[@]}"; do
    [ -s "$TOOLS/schemas/v$v-standalone-strict/deployment-apps-v1.json" ] || return 1
  done
  [ "$(cat "$TOOLS/.schemas.version" 2>/dev/null)" = "$KUBERNETES_VALIDATE_VERSION ${K8S_SCHEMA_VERSIONS[*]}" ]
}

if ! schemas_ok; then
  command -v python3 >/dev/null 2>&1 || die "python3 is needed to unpack the schemas"
  t0="$(date +%s)"
  wheel_dir="$(mktemp -d)"
  trap 'rm -rf "$wheel_dir"' EXIT
  log "fetching kubernetes-validate $KUBERNETES_VALIDATE_VERSION from PyPI (schemas only, nothing is installed)"
  python3 -m pip download --quiet --no-deps --only-binary=:all: --dest "$wheel_dir" \
    "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION" </dev/null \
    || die "pip download kubernetes-validate==$KUBERNETES_VALIDATE_VERSION failed"
  # The package's schemas carry absolute $id/$ref URLs (https://kubernetes.io/api/...) that its
  # own Python registry resolves; kubeconform resolves references against the file's path, so
  # drop the $id and make the references to _definitions.json relative.
  python3 - "$TOOLS/schemas" "$wheel_dir"/kubernetes_validate-*.whl "${K8S_SCHEMA_VERSIONS[@]}" <<'PY'
import json, os, shutil, sys, zipfile
out_root, wheel, versions = sys.argv[1], sys.argv[2], sys.argv[3:]
archive = zipfile.ZipFile(wheel)

def relocate(node):
    if isinstance(node, dict):
        node.pop("$id", None)
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("/api/_definitions.json#"):
            node["$ref"] = ref[len("/api/"):]
        for value in node.values():
            relocate(value)
    elif isinstance(node, list):
        for value in node:
            relocate(value)

for version in versions:
    prefix = f"kubernetes_validate/kubernetes-json-schema/v{version}-local-strict/"
    names = [n for n in archive.namelist() if n.startswith(prefix) and n.endswith(".json")]
    if not names:
        sys.exit(f"kubernetes-validate has no schemas for Kubernetes {version}")
    target = os.path.join(out_root, f"v{version}-standalone-strict")
    staging = target + ".tmp"
    shutil.rmtree(staging, ignore_errors=True)
    os.makedirs(staging)
    for name in names:
        document = json.loads(archive.read(name))
        relocate(document)
        with open(os.path.join(staging, name[len(prefix):]), "w") as f:
            json.dump(document, f, separators=(",", ":"))
    shutil.rmtree(target, ignore_errors=True)
    os.rename(staging, target)
    print(f"[k8s-tools] Kubernetes {version}: {len(names)} schemas", file=sys.stderr)
PY
  echo "$KUBERNETES_VALIDATE_VERSION ${K8S_SCHEMA_VERSIONS[*]}" > "$TOOLS/.schemas.version"
  log "schemas ready in $(( $(date +%s) - t0 ))s"
fi

echo "$TOOLS"
