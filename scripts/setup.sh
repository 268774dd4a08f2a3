#!/usr/bin/env bash
# Creates .venv and installs the pinned dependencies (pyproject.toml + constraints.txt).
# Checks WeasyPrint's system libraries (Pango) and installs them with apt when run as root.
# Usage: scripts/setup.sh [--dev]
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
extras=""
[ "${1:-}" = "--dev" ] && extras="[dev]"

need_debs=()
if ! ldconfig -p 2>/dev/null | grep -q 'libpango-1.0'; then need_debs+=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b); fi
if ! command -v fc-list >/dev/null 2>&1; then need_debs+=(fontconfig fonts-dejavu-core); fi
if [ ${#need_debs[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing WeasyPrint's system libraries: ${need_debs[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_debs[@]}" >/dev/null
  else
    echo "WeasyPrint needs these Debian packages: sudo apt-get install ${need_debs[*]}" >&2
    exit 1
  fi
fi

if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.installed$( [ -n "$extras" ] && echo -dev )
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ constraints.txt -nt "$stamp" ]; then
  .venv/bin/python -m pip install --quiet -c constraints.txt -e ".${extras}"
  touch "$stamp"
fi
mkdir -p var
