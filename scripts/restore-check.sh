#!/usr/bin/env bash
# Prove a backup restores: pg_restore the dump into a scratch database, compare the row count of
# every table of the portal's apps with the source database, print the table, drop the scratch DB.
#
#   DATABASE_URL=postgres://user:pass@host:5432/jisp scripts/restore-check.sh var/backups/<stamp>.dump
#
# Exits 0 when every count matches, 1 on any mismatch (or a table missing from the restore), and
# 2 on a usage error. Run it right after scripts/backup.sh (or against a quiet source): rows added
# to the source after the dump are reported as mismatches, which is the point of the check.
# The role in DATABASE_URL needs CREATEDB. SCRATCH_DB overrides the scratch database's name.
set -euo pipefail

dump="${1:-}"
if [ -z "$dump" ] || [ ! -f "$dump" ]; then
  echo "usage: DATABASE_URL=postgres://... $0 <dump file made by scripts/backup.sh>" >&2
  exit 2
fi
: "${DATABASE_URL:?Set DATABASE_URL to the source PostgreSQL database}"
case "$DATABASE_URL" in
  postgres://*|postgresql://*) ;;
  *) echo "restore-check.sh needs a PostgreSQL DATABASE_URL" >&2; exit 2 ;;
esac

APPS_PATTERN='^(accounts|authorities|providers|plans|meetings)_'

# The scratch database lives on the same server: same URL, another database name.
base="${DATABASE_URL%%\?*}"
query="${DATABASE_URL#"$base"}"
scratch="${SCRATCH_DB:-jisp_restore_check_$(date -u +%Y%m%d%H%M%S)_$$}"
scratch_url="${base%/*}/$scratch$query"

psql_source() { psql --no-psqlrc --quiet --tuples-only --no-align --set ON_ERROR_STOP=1 --dbname="$DATABASE_URL" "$@"; }
psql_scratch() { psql --no-psqlrc --quiet --tuples-only --no-align --set ON_ERROR_STOP=1 --dbname="$scratch_url" "$@"; }

cleanup() {
  psql_source -c "DROP DATABASE IF EXISTS \"$scratch\" WITH (FORCE)" >/dev/null 2>&1 || true
}
trap cleanup EXIT

psql_source -c "CREATE DATABASE \"$scratch\"" >/dev/null
pg_restore --no-owner --no-privileges --exit-on-error --dbname="$scratch_url" "$dump"

# One query per database: "table|count" for every table of the portal's apps.
count_sql="
SELECT string_agg(format('SELECT %L AS t, count(*) AS n FROM public.%I', table_name, table_name), ' UNION ALL ' ORDER BY table_name)
FROM information_schema.tables
WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name ~ '$APPS_PATTERN'"

counts() {  # $1 = psql function
  local sql
  sql="$("$1" -c "$count_sql")"
  if [ -z "$sql" ]; then return 0; fi
  "$1" --field-separator='|' -c "$sql ORDER BY t"
}

source_counts="$(counts psql_source)"
restored_counts="$(counts psql_scratch)"

if [ -z "$source_counts" ]; then
  echo "The source database has no tables of the portal's apps: is DATABASE_URL right?" >&2
  exit 1
fi

declare -A restored=()
while IFS='|' read -r table n; do
  [ -n "$table" ] && restored["$table"]="$n"
done <<<"$restored_counts"

status=0
tables=0
printf '%-45s %10s %10s  %s\n' "table" "source" "restored" "check"
while IFS='|' read -r table n; do
  [ -z "$table" ] && continue
  tables=$((tables + 1))
  got="${restored[$table]:-missing}"
  if [ "$got" = "$n" ]; then
    verdict="ok"
  else
    verdict="MISMATCH"
    status=1
  fi
  printf '%-45s %10s %10s  %s\n' "$table" "$n" "$got" "$verdict"
done <<<"$source_counts"

if [ "$status" -eq 0 ]; then
  echo "Restore check passed: $tables tables, every row count matches ($dump)."
else
  echo "Restore check FAILED: the restored row counts differ from the source ($dump)." >&2
fi
exit "$status"
