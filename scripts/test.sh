#!/usr/bin/env bash
# Sets up and runs every test: ruff, then pytest (unit, integration, browser).
# Uses DATABASE_URL / CELERY_BROKER_URL when set (CI: PostgreSQL and Redis); otherwise SQLite.
# Browser tests drive Debian's Chromium (/usr/bin/chromium), installed here when run as root.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --dev
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's chromium for the browser tests"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "The browser tests need Debian's chromium: sudo apt-get install chromium" >&2
    exit 1
  fi
fi
.venv/bin/ruff check .
.venv/bin/lint-imports --no-cache >/dev/null || { .venv/bin/lint-imports --no-cache; echo "An import breaks the app boundaries (pyproject.toml [tool.importlinter])" >&2; exit 1; }
.venv/bin/python manage.py makemigrations --check --dry-run >/dev/null || {
  echo "Models and migrations disagree: run manage.py makemigrations" >&2; exit 1; }
exec .venv/bin/pytest "$@"
