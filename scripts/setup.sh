#!/usr/bin/env bash
# Creates .venv and installs the pinned dependencies (pyproject.toml + constraints.txt).
# Checks WeasyPrint's system libraries (Pango) and installs them with apt when run as root.
# Usage: scripts/setup.sh [--dev]
#
# A second run on the same checkout installs nothing: .venv/.installed (or .installed-dev, which
# also covers a plain run) records the last install and is redone only when pyproject.toml or
# constraints.txt is newer. Every failure says what failed and how to fix it.
set -Eeuo pipefail
cd "$(dirname "$0")/.."

fail() { echo "scripts/setup.sh: $*" >&2; exit 1; }
trap 'echo "scripts/setup.sh: \"$BASH_COMMAND\" failed (exit $?) at line $LINENO" >&2' ERR

PYTHON=${PYTHON:-python3}
dev=false
case "${1:-}" in
  "") ;;
  --dev) dev=true ;;
  *) echo "usage: scripts/setup.sh [--dev]" >&2; exit 2 ;;
esac

# --- WeasyPrint's system libraries ---------------------------------------------------------------
# ldconfig lives in /sbin, which is not on every user's PATH. grep reads the whole list (no -q):
# under pipefail an early exit would turn ldconfig's SIGPIPE into "not installed".
ldconfig_bin=$(command -v ldconfig || echo /sbin/ldconfig)
need_debs=()
if ! "$ldconfig_bin" -p 2>/dev/null | grep 'libpango-1.0' >/dev/null; then
  need_debs+=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0)
fi
if ! command -v fc-list >/dev/null 2>&1; then need_debs+=(fontconfig fonts-dejavu-core); fi
if [ ${#need_debs[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing WeasyPrint's system libraries: ${need_debs[*]}"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_debs[@]}" >/dev/null; } ||
      fail "apt-get could not install ${need_debs[*]}: install them yourself, then run again"
  else
    fail "WeasyPrint needs these Debian packages: sudo apt-get install ${need_debs[*]}"
  fi
fi

# --- the virtual environment ---------------------------------------------------------------------
python_ok='import sys; sys.exit(0 if (3, 11) <= sys.version_info[:2] <= (3, 12) else 1)'
if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import pip' >/dev/null 2>&1; then
  command -v "$PYTHON" >/dev/null 2>&1 ||
    fail "$PYTHON was not found: install Python 3.11 or 3.12 (Debian: sudo apt-get install python3 python3-venv), or set PYTHON=/path/to/python3.12"
  "$PYTHON" -c "$python_ok" ||
    fail "the portal needs Python 3.11 or 3.12 but $PYTHON is $("$PYTHON" -V 2>&1): run again with PYTHON=python3.12 (or python3.11)"
  rm -rf .venv  # a half-made one (no pip) from an interrupted run
  echo "Creating .venv with $("$PYTHON" -V 2>&1)"
  "$PYTHON" -m venv .venv >/dev/null || {
    rm -rf .venv
    fail "$PYTHON -m venv .venv failed: on Debian or Ubuntu install the venv module (sudo apt-get install python3-venv), then run again"
  }
fi
.venv/bin/python -c "$python_ok" ||
  fail ".venv has $(.venv/bin/python -V 2>&1) but the portal needs 3.11 or 3.12: rm -rf .venv and run again with PYTHON=python3.12"

# --- the pinned dependencies ---------------------------------------------------------------------
if $dev; then stamp=.venv/.installed-dev extras="[dev]"; else stamp=.venv/.installed extras=""; fi
fresh() { [ -f "$1" ] && [ ! pyproject.toml -nt "$1" ] && [ ! constraints.txt -nt "$1" ]; }
if fresh "$stamp" || { ! $dev && fresh .venv/.installed-dev; }; then
  :  # installed already, and nothing has changed since
else
  echo "Installing the pinned dependencies${extras:+ (with the dev extra)} into .venv"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".${extras}" ||
    fail "pip could not install the pinned dependencies (its message is above). Check the connection to the package index (proxy settings: pip config list), then run again; rm -rf .venv starts afresh"
  touch "$stamp"
fi
mkdir -p var
