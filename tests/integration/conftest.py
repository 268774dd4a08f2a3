"""The real-worker test needs a database another process can open: with SQLite the test database is
put in a temporary file instead of memory (PostgreSQL test databases are shared already)."""

import os
import tempfile
from pathlib import Path

from django.conf import settings

_default = settings.DATABASES["default"]
if _default["ENGINE"].endswith("sqlite3"):
    _default.setdefault("TEST", {})
    if not _default["TEST"].get("NAME"):
        _default["TEST"]["NAME"] = str(Path(tempfile.gettempdir()) / f"jisp-test-{os.getpid()}.sqlite3")
