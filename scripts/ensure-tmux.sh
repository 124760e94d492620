#!/usr/bin/env bash
# Idempotent: tmux (Debian's package), the real terminal the interactive prompt test drives.
# Prints tmux's path; exits non-zero with what to do when it cannot be installed.
set -euo pipefail
if ! command -v tmux >/dev/null 2>&1; then
  if [[ $EUID -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure-tmux: tmux is missing: install it (Debian: apt-get install -y tmux, as root)" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq tmux >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq tmux >/dev/null; }
fi
command -v tmux
