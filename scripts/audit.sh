#!/usr/bin/env bash
# Dependency audit: every pin of constraints.txt against the known vulnerabilities (pip-audit,
# from the dev extra). Fails on a known vulnerability that has a fix, unless .pip-audit-waivers
# waives it with a reason. Exit 0 clean, 1 vulnerable (or a waiver without a reason, or an unpinned
# package in .venv), 2 pip-audit could not run, 3 the vulnerability service did not answer for some
# pins. Details: scripts/dependency_audit.py; policy and waivers: SECURITY.md.
set -Eeuo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/pip-audit ]; then
  echo "audit: pip-audit is not installed in .venv: run scripts/setup.sh --dev first" >&2
  exit 2
fi
exec .venv/bin/python scripts/dependency_audit.py "$@"
