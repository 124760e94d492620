# shellcheck shell=bash
# Shared first steps of demo.sh and test.sh: Node 22 on PATH, the services
# running, the npm packages installed. Usage: source scripts/bootstrap.sh
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
# shellcheck source=scripts/ensure-node.sh
source scripts/ensure-node.sh
bash scripts/ensure-services.sh
if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
  # Exactly the lock, on any platform: it lists every platform's optional native packages (test/unit/lockfile.test.ts).
  npm ci --no-audit --no-fund
fi
