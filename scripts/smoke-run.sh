#!/usr/bin/env bash
# The README's first command, for real, as a newcomer runs it (CI runs this before `make test`):
#
#   1. copies this checkout to a scratch folder: the files a clone has (uncommitted changes
#      included), no .venv, no var/;
#   2. starts `make run` there in the background with nothing configured: the portal's environment
#      variables (DATABASE_URL, CELERY_BROKER_URL, ...) are unset, so CI's do not leak in, and it
#      gets SIGINT as a terminal gives it, in a session of its own;
#   3. within the time limit (scripts/smoke_run.py serve): /healthz reports the database up;
#      csa@demo.test signs in through the sign-in form and loads the dashboard and the Annex 2 page
#      of the demo approved plan (Newcastle upon Tyne 2009-10, found through the plans list); the
#      Celery worker renders that plan's PDF (the file is under var/media, its SHA-256 is shown on
#      the plan and in the worker's log); web, worker and beat are all running;
#   4. presses Ctrl-C: SIGINT to make's process group, as a terminal does, and checks that make,
#      web, worker and beat exit and that no process of the run (its session, or anything whose
#      working directory or command line is in the scratch folder) is left.
#
# Usage: scripts/smoke-run.sh            SMOKE_LIMIT=150 (seconds to step 3's end), SMOKE_KEEP=1
# Prints "smoke-run: OK ..." or, after the end of make run's output, "smoke-run: FAILED: <reason>".
# It needs 127.0.0.1:8000 free (the address make run serves on) and python3.
set -Eeuo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
limit=${SMOKE_LIMIT:-150}
stop_limit=25
started=$(date +%s)

scratch=""
make_pid=""
log=""

fail() {
  if [ -n "$log" ] && [ -s "$log" ]; then
    echo "----- the last lines of make run's output ($log) -----" >&2
    grep -v '^WARNING: Location' "$log" | tail -n 40 >&2 || true
    echo "-----" >&2
  fi
  echo "smoke-run: FAILED: $*" >&2
  exit 1
}

# Whatever happens, nothing of the run survives this script.
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ -n "$make_pid" ]; then
    kill -KILL -- "-$make_pid" 2>/dev/null || true
    wait "$make_pid" 2>/dev/null || true
    if [ -n "$scratch" ]; then
      python3 "$root/scripts/smoke_run.py" procs --session "$make_pid" --root "$scratch" 2>/dev/null |
        while read -r pid _; do kill -KILL "$pid" 2>/dev/null || true; done
    fi
  fi
  if [ -n "$scratch" ] && [ "${SMOKE_KEEP:-0}" != 1 ]; then rm -rf "$scratch" "$scratch.log"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'fail "interrupted"' INT TERM
trap 'fail "smoke-run.sh line $LINENO: \"$BASH_COMMAND\" failed"' ERR

command -v python3 >/dev/null || fail "python3 is needed to run the checks"
command -v make >/dev/null || fail "make is not installed (Debian: apt-get install make)"
if (: </dev/tcp/127.0.0.1/8000) 2>/dev/null; then
  fail "127.0.0.1:8000 is already in use: stop what listens there (ss -ltnp 'sport = :8000'), then run again"
fi

# 1. A fresh copy: what a clone of this checkout would hold (plus uncommitted changes).
scratch=$(mktemp -d "${TMPDIR:-/tmp}/jisp-smoke.XXXXXX")
log="$scratch.log"
if git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  (cd "$root" && git ls-files -z --cached --others --exclude-standard |
    tar --null --files-from=- --ignore-failed-read -cf - 2>/dev/null) | tar -C "$scratch" -xf -
else
  tar -C "$root" --exclude=./.venv --exclude=./var --exclude=./.git -cf - . | tar -C "$scratch" -xf -
fi
rm -rf "$scratch/.venv" "$scratch/var"
[ -f "$scratch/Makefile" ] || fail "could not copy the checkout to $scratch"
echo "smoke-run: make run in $scratch (nothing configured; output in $log)" >&2

# 2. make run, as a newcomer starts it: nothing of the portal's configuration in the environment.
unset DATABASE_URL CELERY_BROKER_URL CELERY_TASK_ALWAYS_EAGER EMAIL_URL SECRET_KEY SECRET_KEY_FALLBACKS \
  DJANGO_ENV DJANGO_SETTINGS_MODULE DEBUG ALLOWED_HOSTS CSRF_TRUSTED_ORIGINS SITE_URL DEMO_PASSWORD \
  MEDIA_ROOT STATIC_ROOT JISP_VAR_DIR LOG_LEVEL TWO_FACTOR_REQUIRED_ROLES DEFAULT_FROM_EMAIL \
  AXES_FAILURE_LIMIT AXES_COOLOFF_MINUTES CONN_MAX_AGE SECURE_SSL_REDIRECT SECURE_HSTS_SECONDS \
  UPLOAD_MAX_BYTES VIRTUAL_ENV
# A session of its own (make leads its process group, as in a terminal), with SIGINT at its default:
# a background job of a script would otherwise inherit SIGINT ignored, and Ctrl-C would do nothing.
(cd "$scratch" && exec python3 -c '
import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.setsid()
os.execvp("make", ["make", "run"])' </dev/null >"$log" 2>&1) &
make_pid=$!

# 3. The portal serves, signs in, shows the plan, and the worker renders its PDF.
reason=$(python3 "$root/scripts/smoke_run.py" serve --pid "$make_pid" --log "$log" --root "$scratch" \
  --deadline "$((started + limit))") || fail "${reason:-the checks stopped without a reason}"
grep -q "^JISP portal: http://127.0.0.1:8000" "$log" || fail "make run never printed 'JISP portal: http://127.0.0.1:8000'"
served=$(($(date +%s) - started))

running=$(python3 "$root/scripts/smoke_run.py" procs --session "$make_pid" --root "$scratch")
for kind in web worker beat; do
  grep -q "^[0-9]* [A-Za-z] $kind " <<<"$running" || fail "no $kind process of make run is running"
done

# 4. Ctrl-C.
kill -INT -- "-$make_pid"
stopped=""
for _ in $(seq $((stop_limit * 5))); do
  if [ -z "$(python3 "$root/scripts/smoke_run.py" procs --session "$make_pid" --root "$scratch")" ]; then
    stopped=yes
    break
  fi
  sleep 0.2
done
if [ -z "$stopped" ]; then
  left=$(python3 "$root/scripts/smoke_run.py" procs --session "$make_pid" --root "$scratch" |
    awk '{printf "%s%s (%s)", sep, $3, $1; sep=", "}')
  fail "after Ctrl-C these processes of make run were still there after $stop_limit s: $left"
fi
wait "$make_pid" 2>/dev/null || true
make_pid=""
grep -q "make run: stopped" "$log" || fail "make run did not say it stopped web, worker and beat after Ctrl-C"
total=$(($(date +%s) - started))
echo "smoke-run: OK in ${total} s: make run served, signed in, showed the plan and the worker rendered its PDF" \
  "after ${served} s; Ctrl-C stopped web, worker and beat in $((total - served)) s and left no process" >&2
