"""Start a real Celery worker for the fault tests (the pattern of test_worker.py, with more control).

``running_worker(tmp_path, crash_in=...)`` starts ``celery worker`` (prefork, one child, as in
production) against the test database and the Redis broker, with the emails written one file each
under ``tmp_path/mail`` and the media under ``tmp_path/media``. With ``crash_in="module:function"``
the worker is started through ``crashing_worker.py``: the first call of that function (after it has
done its work) kills the process running the task, once — a worker dying mid-task.
"""

import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import redis

from jisp_portal.celery import app as celery_app
from tests.integration.test_worker import ROOT, broker_url, database_url, wait_for

HERE = Path(__file__).resolve().parent


def mail_files(tmp_path):
    folder = tmp_path / "mail"
    return sorted(folder.glob("*.log")) if folder.exists() else []


def mails_to(tmp_path, address):
    return [f for f in mail_files(tmp_path) if f"\nTo: {address}\n" in f.read_text()]


def use_broker(url):
    """Point this process's Celery app at ``url`` (dropping pooled connections to the old one)."""
    celery_app.conf.broker_url = url
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@contextmanager
def running_worker(tmp_path, *, crash_in=None):
    url = broker_url()
    redis.Redis.from_url(url).delete("celery", "unacked", "unacked_index")
    (tmp_path / "mail").mkdir(exist_ok=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "jisp_portal.settings",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": url,
        "EMAIL_URL": f"filemail:///{tmp_path / 'mail'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DJANGO_ENV": "development",
        "JISP_CRASH_IN": crash_in or "",
        "JISP_CRASH_MARKER": str(tmp_path / "crashed"),
    }
    args = ["worker", "--pool=prefork", "--concurrency=1", "-l", "info", "-n", f"faults-{os.getpid()}@%h"]
    args += ["--without-heartbeat", "--without-gossip", "--without-mingle"]
    command = [sys.executable, str(HERE / "crashing_worker.py"), *args] if crash_in else [
        sys.executable, "-m", "celery", "-A", "jisp_portal", *args,
    ]  # fmt: skip
    log_path = tmp_path / "worker.log"
    log = log_path.open("w+")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    use_broker(url)
    try:
        wait_for(lambda: process.poll() is None and " ready." in log_path.read_text(), "start")
        yield log_path
    except AssertionError:
        print(log_path.read_text()[-6000:])
        raise
    finally:
        celery_app.conf.task_always_eager = previous
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
