#!/usr/bin/env bash
# Generates a demo project with the defaults (in .demo/, git-ignored) and runs it
# the way its README says: release, then the web process; probes /healthz and /readyz.
# Interactive: keeps serving until Ctrl-C. DEMO_PYTHON picks the interpreter
# (default: this machine's python3, since uv may not download others here).
set -euo pipefail
# shellcheck source=scripts/bootstrap.sh
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
npm run -s build

python="${DEMO_PYTHON:-$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')}"
port="${DEMO_PORT:-8000}"
rm -rf .demo && mkdir -p .demo && cd .demo
node ../lib/shell/cli.js demo-site --yes --python "$python" --skip-git
cd demo-site

# The defaults use PostgreSQL: the database named in .env must exist.
dropdb -h 127.0.0.1 -U postgres --if-exists demo_site
createdb -h 127.0.0.1 -U postgres demo_site

uv sync --locked
uv run honcho run ./release.sh
uv run honcho start --port "$port" web &
server=$!
trap 'kill -TERM "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT

for _ in $(seq 1 50); do
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done
echo "GET /healthz -> $(curl -sS "http://127.0.0.1:$port/healthz")"
echo "GET /readyz  -> $(curl -sS "http://127.0.0.1:$port/readyz")"
echo "Demo project in .demo/demo-site, serving on http://127.0.0.1:$port/"
if [[ -t 0 ]]; then
  echo "Ctrl-C stops it."
  wait "$server"
fi
