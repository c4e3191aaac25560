#!/usr/bin/env bash
# Installs Schemathesis (PyPI) into a virtual environment in a cache outside the clone, and does
# nothing when the pinned version is already there (a warm run takes well under a second).
# npm run fuzz:api and test/contracts/api-fuzzing.test.ts run $DIR/venv/bin/schemathesis.
#
# Usage: scripts/fuzz/install-tools.sh [--print-dir]
#   BOXOFFICE_FUZZ_TOOLS   cache directory (default ${XDG_CACHE_HOME:-$HOME/.cache}/boxoffice/fuzz-tools)
# Prints the cache directory on its last line.
set -euo pipefail

SCHEMATHESIS_VERSION=4.32.5

TOOLS="${BOXOFFICE_FUZZ_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/boxoffice/fuzz-tools}"
if [ "${1:-}" = "--print-dir" ]; then echo "$TOOLS"; exit 0; fi

log() { printf '[fuzz-tools] %s\n' "$*" >&2; }
die() { printf '[fuzz-tools] ERROR: %s\n' "$*" >&2; exit 1; }

STAMP="$TOOLS/.schemathesis.version"
if [ -x "$TOOLS/venv/bin/schemathesis" ] && [ "$(cat "$STAMP" 2>/dev/null)" = "$SCHEMATHESIS_VERSION" ]; then
  echo "$TOOLS"
  exit 0
fi

# The newest Python 3.10+ there is: CPython 3.11's parser fails now and then under Hypothesis
# ("AST constructor recursion depth mismatch"), which Schemathesis reports as an error of the
# run; 3.12 and later do not. pyenv's versions count too (its shims answer only for the current one).
pick_python() {
  local candidate pyenv_root
  pyenv_root="$(pyenv root 2>/dev/null || true)"
  for candidate in ${BOXOFFICE_FUZZ_PYTHON:-} python3.14 python3.13 python3.12 \
      $( [ -n "$pyenv_root" ] && ls -d "$pyenv_root"/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV ) python3; do
    if "$candidate" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 10))' >/dev/null 2>&1; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}
PYTHON="$(pick_python)" || die "Python 3.10 or later with venv is needed for Schemathesis (Debian: apt-get install python3-venv)"
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 12))' \
  || log "warning: $("$PYTHON" --version) may fail runs with 'AST constructor recursion depth mismatch'; Python 3.12+ does not"

t0="$(date +%s)"
log "installing schemathesis $SCHEMATHESIS_VERSION from PyPI into $TOOLS/venv ($("$PYTHON" --version))"
rm -rf "$TOOLS/venv" "$STAMP"
mkdir -p "$TOOLS"
"$PYTHON" -m venv "$TOOLS/venv"
"$TOOLS/venv/bin/python" -m pip install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION" </dev/null \
  || die "pip install schemathesis==$SCHEMATHESIS_VERSION failed"
"$TOOLS/venv/bin/schemathesis" --version >&2
echo "$SCHEMATHESIS_VERSION" > "$STAMP"
log "ready in $(( $(date +%s) - t0 ))s"
echo "$TOOLS"
