"""The benchmark's own database: ``<name>_bench`` on the PostgreSQL server of ``DATABASE_URL``, or a
temporary SQLite file. Created (and migrated) at the start, dropped at the end, whatever happens.

It uses Django's test-database machinery, which switches the ``default`` connection over to the new
database for this process; the database the portal normally uses is never touched.
"""

import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.db import connection


def describe():
    """'PostgreSQL 15.4' or 'SQLite 3.40.1' for the report's header."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version}"


@contextmanager
def bench_database():
    """Yield the bench database's name with ``default`` pointing at it; drop it afterwards."""
    settings_dict = connection.settings_dict
    old_name = settings_dict["NAME"]
    tmpdir = None
    if connection.vendor == "sqlite":
        tmpdir = tempfile.mkdtemp(prefix="jisp-bench-")
        name = str(Path(tmpdir) / "bench.sqlite3")
    else:
        name = f"{old_name}_bench"
    settings_dict.setdefault("TEST", {})
    previous_test = dict(settings_dict["TEST"])
    settings_dict["TEST"]["NAME"] = name
    try:
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False, keepdb=False)
        yield name
    finally:
        try:
            connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=False)
        finally:
            settings_dict["TEST"] = previous_test
            if tmpdir:
                shutil.rmtree(tmpdir, ignore_errors=True)
