"""A Celery worker that dies once in the middle of a task (used by test_faults.py).

``JISP_CRASH_IN=module:function`` is wrapped so that its first call, after doing its work, ends the
process running the task with ``os._exit`` — no exception handler, no commit, no acknowledgement —
as a killed container or an out-of-memory kill would. ``JISP_CRASH_MARKER`` (a file) makes it once.
The worker's arguments follow on the command line.
"""

import importlib
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jisp_portal.settings")

import django  # noqa: E402

django.setup()

module_name, _, name = os.environ["JISP_CRASH_IN"].partition(":")
marker = Path(os.environ["JISP_CRASH_MARKER"])
module = importlib.import_module(module_name)
original = getattr(module, name)


def crashing(*args, **kwargs):
    result = original(*args, **kwargs)
    if not marker.exists():
        marker.write_text(f"killed in {module_name}.{name}\n")
        os._exit(1)
    return result


setattr(module, name, crashing)

from jisp_portal.celery import app  # noqa: E402

app.worker_main(sys.argv[1:])
