#!/usr/bin/env bash
# Installs the pinned lint tools of test/e2e/tools-requirements.txt into
# .cache/e2e-tools (a venv, Python 3.11) unless they are there already.
# Prints the venv's bin directory on stdout.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
req="$root/test/e2e/tools-requirements.txt"
venv="$root/.cache/e2e-tools"
stamp="$venv/.requirements.sha256"
want="$(sha256sum "$req" | cut -d' ' -f1)"
export UV_CACHE_DIR="${UV_CACHE_DIR:-$root/.cache/uv}" UV_PYTHON_DOWNLOADS=never

if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
  echo "ensure-e2e-tools: installing $(grep -vc '^\s*\(#\|$\)' "$req") tools into $venv" >&2
  rm -rf "$venv"
  uv venv --quiet --python 3.11 "$venv" >&2
  uv pip install --quiet --python "$venv/bin/python" -r "$req" >&2
  for tool in check-jsonschema dotenv-linter hadolint shellcheck; do
    [[ -x "$venv/bin/$tool" ]] || { echo "ensure-e2e-tools: $tool missing from $venv/bin" >&2; exit 1; }
  done
  echo "$want" >"$stamp"
fi
echo "$venv/bin"
