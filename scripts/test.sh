#!/usr/bin/env bash
# The whole test suite, exactly as CI runs it: fast tests first (unit, generator,
# subgenerators: seconds), then end to end against real services (minutes).
set -euo pipefail
# shellcheck source=scripts/bootstrap.sh
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
npm run test:all
