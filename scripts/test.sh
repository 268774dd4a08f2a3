#!/usr/bin/env bash
# Sets up and runs every test: ruff (lint and format), djlint, the import contracts, mypy and the
# migrations check, then pytest (unit, integration, browser).
# Uses DATABASE_URL / CELERY_BROKER_URL when set (CI: PostgreSQL and Redis); otherwise SQLite.
# Browser tests drive Debian's Chromium (/usr/bin/chromium), installed here when run as root.
set -euo pipefail
cd "$(dirname "$0")/.."
# The development settings for the checks and pytest (tests/settings.py sets it too); tests of the
# production settings start their own processes with their own environment.
export DJANGO_ENV=development
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
# Static checks first, each failing with one line that says what to run to fix it.
.venv/bin/ruff check . || { echo "Lint errors: run .venv/bin/ruff check --fix . (and fix what remains)" >&2; exit 1; }
.venv/bin/ruff format --check . || {
  echo "Unformatted Python: run .venv/bin/ruff format ." >&2; exit 1; }
.venv/bin/djlint templates --lint || { echo "Template lint errors: run .venv/bin/djlint templates --lint" >&2; exit 1; }
.venv/bin/lint-imports --no-cache >/dev/null || { .venv/bin/lint-imports --no-cache; echo "An import breaks the app boundaries (pyproject.toml [tool.importlinter]): run .venv/bin/lint-imports" >&2; exit 1; }
.venv/bin/mypy || { echo "Type errors: run .venv/bin/mypy (files and settings in pyproject.toml [tool.mypy])" >&2; exit 1; }
.venv/bin/python manage.py makemigrations --check --dry-run >/dev/null || {
  echo "Models and migrations disagree: run .venv/bin/python manage.py makemigrations" >&2; exit 1; }
# One test process per core (PYTEST_WORKERS=0 runs them in this process); the browser tests and the
# integration tests each stay in one process (tests/conftest.py).
exec .venv/bin/pytest -n "${PYTEST_WORKERS:-auto}" --dist loadgroup "$@"
