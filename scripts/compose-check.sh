#!/usr/bin/env bash
# Validates docker-compose.yml (or the file given) without starting anything:
#   - with Docker's compose when it is installed (the `docker compose` plugin, or the older
#     `docker-compose`): `config --quiet`, which resolves anchors and variables and checks the
#     schema; it needs the client only, no running engine;
#   - always: scripts/compose_check.py, a YAML and key check of what the portal relies on (the
#     services, their production environment, the media volume writable by the image's user).
# Usage: scripts/compose-check.sh [docker-compose.yml]     Exit 0 when valid, 1 otherwise.
set -Eeuo pipefail
cd "$(dirname "$0")/.."

file=${1:-docker-compose.yml}
fail() { echo "compose-check: $*" >&2; exit 1; }
[ -f "$file" ] || fail "$file does not exist"

# The file requires SECRET_KEY (${SECRET_KEY:?...}); a placeholder stands in for the check.
export SECRET_KEY=${SECRET_KEY:-compose-check-placeholder-not-a-secret-compose-check-placeholder}

if docker compose version >/dev/null 2>&1; then
  docker compose -f "$file" config --quiet || fail "docker compose config rejected $file (its message is above)"
  echo "compose-check: docker compose config accepts $file"
elif command -v docker-compose >/dev/null 2>&1; then
  docker-compose -f "$file" config --quiet || fail "docker-compose config rejected $file (its message is above)"
  echo "compose-check: docker-compose config accepts $file"
else
  echo "compose-check: Docker's compose is not installed here (docker compose version fails): YAML and key check only"
fi

python=""
for candidate in .venv/bin/python python3; do
  if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import yaml' 2>/dev/null; then
    python=$candidate
    break
  fi
done
[ -n "$python" ] || fail "the YAML check needs PyYAML: run scripts/setup.sh --dev first"
"$python" scripts/compose_check.py "$file" || fail "$file has the problems listed above"
