#!/usr/bin/env bash
# Sets up and runs the portal with demo data on http://127.0.0.1:8000: web, Celery worker and beat,
# until Ctrl-C. With nothing configured it uses SQLite and a filesystem broker under var/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
PY=.venv/bin/python
$PY manage.py migrate --noinput
$PY manage.py seed_reference
$PY manage.py seed_demo

pids=()
cleanup() { trap - INT TERM EXIT; kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup INT TERM EXIT

.venv/bin/celery -A jisp_portal worker --loglevel=INFO --concurrency=2 & pids+=($!)
.venv/bin/celery -A jisp_portal beat --loglevel=INFO & pids+=($!)
echo "JISP portal: http://127.0.0.1:8000 (Ctrl-C stops web, worker and beat)"
$PY manage.py runserver 127.0.0.1:8000 & pids+=($!)
wait -n "${pids[@]}"
