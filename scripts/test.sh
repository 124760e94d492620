#!/usr/bin/env bash
# The whole test suite, exactly as CI runs it: fast tests first (unit, generator,
# subgenerators: seconds), then end to end against real services (minutes).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# shellcheck source=scripts/ensure-node.sh
source scripts/ensure-node.sh
bash scripts/ensure-services.sh
if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund
fi
npm run test:all
