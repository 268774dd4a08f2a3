#!/usr/bin/env bash
# Sets up and runs the portal with demo data on http://127.0.0.1:8000: web, Celery worker and beat,
# until Ctrl-C. With nothing configured it uses SQLite and a filesystem broker under var/.
#
# The first run on a checkout installs .venv; later runs reuse it (scripts/setup.sh) and the
# database, so they serve within seconds. Any step that fails says which one and how to fix it.
#
# Stopping: web, worker and beat each run in a process group of their own, so this script alone
# decides how they stop. Ctrl-C (SIGINT), SIGTERM or SIGHUP to this script sends SIGTERM to each of
# them (the worker finishes its current task and stops its pool; runserver's autoreloader stops the
# server it runs), waits up to STOP_GRACE seconds, then SIGKILLs whatever is left in their process
# groups. runserver keeps its autoreloader: editing the code restarts the web server as usual.
set -Eeuo pipefail
cd "$(dirname "$0")/.."

# A developer's machine: DEBUG and the embedded defaults. Only DJANGO_ENV=development, set explicitly,
# gives them; anything else (unset included) is production (jisp_portal/settings.py).
export DJANGO_ENV=development

PY=.venv/bin/python
ADDRESS=127.0.0.1
PORT=8000
STOP_GRACE=${STOP_GRACE:-15}

say() { echo "make run: $*" >&2; }
trap 'say "\"$BASH_COMMAND\" failed (exit $?) at line $LINENO of scripts/run.sh"' ERR
listening() { (: <"/dev/tcp/$ADDRESS/$PORT") 2>/dev/null; }

# step WHAT HOW-TO-FIX COMMAND...: run a set-up step; on failure say which and how to fix it.
step() {
  local what=$1 fix=$2 rc=0
  shift 2
  "$@" || rc=$?
  if [ "$rc" -ne 0 ]; then
    say "$what failed (exit $rc). $fix"
    exit "$rc"
  fi
}

if listening; then
  say "$ADDRESS:$PORT is already in use (another make run?). Stop what listens there (ss -ltnp 'sport = :$PORT' names it), then run again."
  exit 1
fi

step "Setting up .venv (scripts/setup.sh)" "Fix what it reports above, then run make run again." \
  scripts/setup.sh
step "Migrating the database" \
  "With nothing configured the database is SQLite at var/db.sqlite3: rm -rf var/ starts afresh with the demo data. If you set DATABASE_URL, check that its server is up." \
  "$PY" manage.py migrate --noinput
step "Loading the reference data (seed_reference)" "See the error above; rm -rf var/ starts afresh." \
  "$PY" manage.py seed_reference
step "Loading the demo data (seed_demo)" "See the error above; rm -rf var/ starts afresh." \
  "$PY" manage.py seed_demo

names=()
pids=()
# start NAME COMMAND...: run it in the background in a process group of its own (job control is on
# only while it forks, so bash prints no job notices).
start() {
  local name=$1
  shift
  set -m
  "$@" </dev/null &
  pids+=("$!")
  set +m
  names+=("$name")
}

group_alive() { kill -0 -- "-$1" 2>/dev/null; }

stop_all() {
  local i _
  for i in "${!pids[@]}"; do kill -TERM "${pids[$i]}" 2>/dev/null || true; done
  for _ in $(seq $((STOP_GRACE * 5))); do
    local alive=false
    for i in "${!pids[@]}"; do group_alive "${pids[$i]}" && alive=true; done
    $alive || break
    sleep 0.2
  done
  for i in "${!pids[@]}"; do
    if group_alive "${pids[$i]}"; then
      say "the ${names[$i]} did not stop within $STOP_GRACE s: killing it"
      kill -KILL -- "-${pids[$i]}" 2>/dev/null || true
    fi
  done
  wait 2>/dev/null || true
}

on_signal() {  # stop everything, then die of the same signal (so make reports an interrupt)
  trap - INT TERM HUP EXIT
  echo
  say "stopping web, worker and beat"
  stop_all
  say "stopped"
  trap - "$1"
  kill -s "$1" $$
}
trap 'on_signal INT' INT
trap 'on_signal TERM' TERM
trap 'on_signal HUP' HUP
trap 'stop_all' EXIT

start "Celery worker" .venv/bin/celery -A jisp_portal worker --loglevel=INFO --concurrency=2
start "Celery beat" .venv/bin/celery -A jisp_portal beat --loglevel=INFO
start "web server" "$PY" manage.py runserver "$ADDRESS:$PORT"

# Report the address once the web server answers; stop at once if any of the three dies meanwhile.
first_dead() {
  local i
  for i in "${!pids[@]}"; do
    kill -0 "${pids[$i]}" 2>/dev/null || { echo "$i"; return 0; }
  done
  return 1
}
for _ in $(seq 300); do
  listening && break
  if i=$(first_dead); then
    say "the ${names[$i]} stopped while starting (its messages are above); stopping the others."
    exit 1
  fi
  sleep 0.2
done
if ! listening; then
  say "the web server did not answer on $ADDRESS:$PORT within 60 s; stopping."
  exit 1
fi
echo "JISP portal: http://$ADDRESS:$PORT (Ctrl-C stops web, worker and beat)"

status=0
wait -n "${pids[@]}" || status=$?
i=$(first_dead) || i=0
say "the ${names[$i]} stopped (exit $status; its messages are above); stopping the others."
exit 1
