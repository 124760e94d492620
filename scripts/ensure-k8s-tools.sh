#!/usr/bin/env bash
# Installs the pinned Kubernetes tools of test/kubernetes/tools-requirements.txt (kubectl,
# kubernetes-validate) into .cache/k8s-tools (a venv, Python 3.11) unless they are there already.
# Prints the venv's bin directory on stdout.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
req="$root/test/kubernetes/tools-requirements.txt"
venv="$root/.cache/k8s-tools"
stamp="$venv/.requirements.sha256"
want="$(sha256sum "$req" | cut -d' ' -f1)"
export UV_CACHE_DIR="${UV_CACHE_DIR:-$root/.cache/uv}" UV_PYTHON_DOWNLOADS=never
command -v uv >/dev/null || { echo "ensure-k8s-tools: uv is missing (pip install uv)" >&2; exit 1; }

if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
  echo "ensure-k8s-tools: installing $(grep -vc '^\s*\(#\|$\)' "$req") tools into $venv" >&2
  rm -rf "$venv"
  uv venv --quiet --python 3.11 "$venv" >&2
  uv pip install --quiet --python "$venv/bin/python" -r "$req" >&2
  for tool in kubectl kubernetes-validate; do
    [[ -x "$venv/bin/$tool" ]] || { echo "ensure-k8s-tools: $tool missing from $venv/bin" >&2; exit 1; }
  done
  echo "$want" >"$stamp"
fi
echo "$venv/bin"
