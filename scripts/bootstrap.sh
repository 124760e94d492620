# shellcheck shell=bash
# Shared first steps of demo.sh and test.sh: Node 22 on PATH, the services
# running, the npm packages installed. Usage: source scripts/bootstrap.sh
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
# shellcheck source=scripts/ensure-node.sh
source scripts/ensure-node.sh
bash scripts/ensure-services.sh
if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
  # Not `npm ci`: the registry reachable here serves rollup's native builds for this platform only, so the
  # lock cannot list the other platforms' optional packages and `npm ci` calls it out of sync. `npm install`
  # installs exactly the locked versions all the same (the lock is left unchanged).
  npm install --no-audit --no-fund
fi
