#!/usr/bin/env bash
# The pinned lint tools of test/e2e/tools-requirements.txt in .cache/e2e-tools; prints its bin directory.
exec bash "$(dirname "${BASH_SOURCE[0]}")/ensure-tool-venv.sh" e2e-tools test/e2e/tools-requirements.txt \
  check-jsonschema dotenv-linter hadolint shellcheck
