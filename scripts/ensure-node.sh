# shellcheck shell=bash
# Makes sure a Node.js 22.22+ is first on PATH, installing the npm package
# node@22.23.3 into .tools/ when the one there is missing or too old.
# Usage: source scripts/ensure-node.sh   (exports PATH; safe to source twice)

_tn_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_tn_bin="$_tn_root/.tools/node_modules/.bin"
_tn_version="22.23.3"

_tn_ok() {
  # true when $1 is a node binary reporting v22.22+ (or a newer major)
  local v
  v="$("$1" --version 2>/dev/null)" || return 1
  v="${v#v}"
  local major="${v%%.*}" rest="${v#*.}"
  local minor="${rest%%.*}"
  [[ "$major" =~ ^[0-9]+$ && "$minor" =~ ^[0-9]+$ ]] || return 1
  (( major > 22 || (major == 22 && minor >= 22) ))
}

if ! _tn_ok "$_tn_bin/node"; then
  echo "ensure-node: installing node@$_tn_version into .tools/" >&2
  npm install --prefix "$_tn_root/.tools" "node@$_tn_version" --no-audit --no-fund --loglevel=error >&2 \
    || { echo "ensure-node: npm install node@$_tn_version failed" >&2; return 1 2>/dev/null || exit 1; }
  _tn_ok "$_tn_bin/node" \
    || { echo "ensure-node: $_tn_bin/node is not v22.22+ after install" >&2; return 1 2>/dev/null || exit 1; }
fi

case ":$PATH:" in
  ":$_tn_bin:"*) ;;
  *) PATH="$_tn_bin:$PATH" ;;
esac
export PATH
echo "ensure-node: $(command -v node) $(node --version)" >&2
unset -f _tn_ok
unset _tn_root _tn_bin _tn_version
