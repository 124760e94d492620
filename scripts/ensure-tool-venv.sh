#!/usr/bin/env bash
# Installs the pinned tools of a requirements file into .cache/<name> (a venv, Python 3.11) unless
# that exact file was installed there already, and checks each named tool is there.
# Usage: ensure-tool-venv.sh NAME REQUIREMENTS TOOL...   Prints the venv's bin directory on stdout.
set -euo pipefail
name="$1" req="$2"
shift 2
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
req="$root/$req"
venv="$root/.cache/$name"
stamp="$venv/.requirements.sha256"
want="$(sha256sum "$req" | cut -d' ' -f1)"
export UV_CACHE_DIR="${UV_CACHE_DIR:-$root/.cache/uv}" UV_PYTHON_DOWNLOADS=never
command -v uv >/dev/null || { echo "ensure-$name: uv is missing (pip install uv)" >&2; exit 1; }

if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
  echo "ensure-$name: installing $(grep -vc '^\s*\(#\|$\)' "$req") tools into $venv" >&2
  rm -rf "$venv"
  uv venv --quiet --python 3.11 "$venv" >&2
  uv pip install --quiet --python "$venv/bin/python" -r "$req" >&2
  for tool in "$@"; do
    [[ -x "$venv/bin/$tool" ]] || { echo "ensure-$name: $tool missing from $venv/bin" >&2; exit 1; }
  done
  echo "$want" >"$stamp"
fi
echo "$venv/bin"
