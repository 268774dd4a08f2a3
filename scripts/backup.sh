#!/usr/bin/env bash
# Back up the portal's PostgreSQL database: pg_dump -Fc of DATABASE_URL to var/backups/<timestamp>.dump.
#
#   DATABASE_URL=postgres://user:pass@host:5432/jisp scripts/backup.sh
#
# Prints the path of the dump. BACKUP_DIR overrides var/backups. The dump is written under a
# temporary name and renamed when complete, so a crash never leaves a truncated file that looks good.
# Uploaded files and PDFs live in MEDIA_ROOT: back that up alongside (see README, Operations).
set -euo pipefail
cd "$(dirname "$0")/.."

: "${DATABASE_URL:?Set DATABASE_URL to the PostgreSQL database to back up}"
case "$DATABASE_URL" in
  postgres://*|postgresql://*) ;;
  *) echo "backup.sh needs a PostgreSQL DATABASE_URL (got ${DATABASE_URL%%:*}://...)" >&2; exit 2 ;;
esac

backup_dir="${BACKUP_DIR:-var/backups}"
mkdir -p "$backup_dir"
chmod 700 "$backup_dir"
umask 077

stamp="$(date -u +%Y%m%dT%H%M%SZ)"
target="$backup_dir/$stamp.dump"
n=1
while [ -e "$target" ]; do target="$backup_dir/$stamp-$n.dump"; n=$((n + 1)); done

pg_dump --format=custom --no-owner --no-privileges --file="$target.partial" --dbname="$DATABASE_URL"
mv "$target.partial" "$target"
echo "$target"
