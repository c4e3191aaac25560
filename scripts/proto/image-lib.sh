# shellcheck shell=bash
# Sourced by scripts/proto/{breaking,baseline}.sh, from the repository root.

# image_of_tree DIR OUT [BUF_BUILD_FLAG...]: builds the .proto tree DIR (a copy of proto/) into
# the buf image OUT, in a scratch workspace laid out like ours (same buf.yaml, same third-party
# modules), since buf cannot resolve our build-time deps for a tree outside the workspace.
image_of_tree() {
  local tree="$1" out="$2" workspace
  shift 2
  workspace=$(mktemp -d)
  cp -r "$tree" "$workspace/proto"
  ln -s "$PWD/.proto-deps" "$workspace/.proto-deps"
  mkdir -p "$workspace/node_modules" && ln -s "$PWD/node_modules/grpc-health-check" "$workspace/node_modules/grpc-health-check"
  cp buf.yaml "$workspace/buf.yaml"
  (cd "$workspace" && npx --prefix "$OLDPWD" buf build proto -o "$out" "$@") || { rm -rf "$workspace"; return 1; }
  rm -rf "$workspace"
}

# tree_of_revision REV DIR: the proto/ tree committed at REV, unpacked into DIR/proto.
tree_of_revision() {
  mkdir -p "$2"
  git archive "$1" proto | tar -x -C "$2"
}
