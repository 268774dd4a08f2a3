"""scripts/backup.sh and scripts/restore-check.sh against a real PostgreSQL.

The test makes its own database on the PostgreSQL server the suite uses (DATABASE_URL's server in
CI; 127.0.0.1:5432 when the suite itself runs on SQLite), migrates it and loads the reference data,
then backs it up, restores the dump into a scratch database and compares row counts — and checks
that a difference is caught, named and fails the check, and that the scratch database is dropped.
"""

import os
import subprocess
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
SWITCHES = ("DATABASE_URL", "CELERY_BROKER_URL", "EMAIL_URL", "SECRET_KEY", "DJANGO_ENV", "DEBUG")


def server_url(dbname):
    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.postgresql":
        user, password = db.get("USER") or "postgres", db.get("PASSWORD") or ""
        host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or "5432"
    else:
        user, password, host, port = "postgres", "", "127.0.0.1", "5432"
    auth = quote(user) + (":" + quote(password) if password else "")
    return f"postgres://{auth}@{host}:{port}/{dbname}"


def sh(args, env_extra=None, check=True):
    env = {k: v for k, v in os.environ.items() if k not in SWITCHES}
    env.update(env_extra or {})
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    if check:
        assert result.returncode == 0, f"{args}: {result.stdout}\n{result.stderr}"
    return result


def psql(url, sql):
    return sh(["psql", "--no-psqlrc", "-tA", "-v", "ON_ERROR_STOP=1", "--dbname", url, "-c", sql]).stdout.strip()


def database_exists(name):
    return psql(server_url("postgres"), f"SELECT count(*) FROM pg_database WHERE datname = '{name}'") == "1"


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    name = f"jisp_backup_test_{uuid.uuid4().hex[:10]}"
    url = server_url(name)
    psql(server_url("postgres"), f'CREATE DATABASE "{name}"')
    var = tmp_path_factory.mktemp("var")
    env = {"DATABASE_URL": url, "JISP_VAR_DIR": str(var), "DJANGO_ENV": "development"}
    try:
        python = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else "python"
        sh([python, "manage.py", "migrate", "-v", "0"], env)
        sh([python, "manage.py", "seed_reference"], env)
        sh(
            [
                python,
                "manage.py",
                "shell",
                "-c",
                "from accounts.models import User, AuditEvent; "
                "u = User.objects.create_user('backup@example.gov.uk', 'x' * 12, full_name='Bea Backup', role='national'); "
                "AuditEvent.objects.create(actor=u, action='signed_in', summary='backup test')",
            ],
            env,
        )
        yield {"name": name, "url": url, "dir": tmp_path_factory.mktemp("backups")}
    finally:
        psql(server_url("postgres"), f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def backup(source):
    result = sh(["scripts/backup.sh"], {"DATABASE_URL": source["url"], "BACKUP_DIR": str(source["dir"])})
    return Path(result.stdout.strip().splitlines()[-1])


def restore_check(source, dump, scratch):
    return sh(
        ["scripts/restore-check.sh", str(dump)],
        {"DATABASE_URL": source["url"], "SCRATCH_DB": scratch},
        check=False,
    )


def test_backup_writes_a_custom_format_dump_named_by_time(source):
    dump = backup(source)
    assert dump.parent == source["dir"]
    assert dump.suffix == ".dump"
    assert dump.name[:8].isdigit()
    assert dump.name[8] == "T"
    assert dump.read_bytes()[:5] == b"PGDMP"
    assert not list(source["dir"].glob("*.partial"))
    second = backup(source)
    assert second != dump, "two backups in the same second do not overwrite each other"
    assert second.exists()


def test_restore_check_restores_compares_every_table_and_drops_the_scratch_database(source):
    dump = backup(source)
    scratch = f"jisp_restore_check_{uuid.uuid4().hex[:8]}"
    result = restore_check(source, dump, scratch)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = {line.split()[0]: line.split()[1:] for line in result.stdout.splitlines()[1:] if line.strip()}
    regions = psql(source["url"], "SELECT count(*) FROM authorities_region")
    assert lines["authorities_region"] == [regions, regions, "ok"]
    assert lines["accounts_user"] == ["1", "1", "ok"]
    events = psql(source["url"], "SELECT count(*) FROM accounts_auditevent")
    assert int(events) >= 1
    assert lines["accounts_auditevent"] == [events, events, "ok"]
    assert int(lines["authorities_localauthority"][0]) > 100
    tables = psql(
        source["url"],
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' "
        "AND table_name ~ '^(accounts|authorities|providers|plans|meetings)_'",
    )
    assert f"{tables} tables, every row count matches" in result.stdout
    assert not database_exists(scratch)


def test_restore_check_fails_and_names_the_table_that_differs(source):
    dump = backup(source)
    psql(
        source["url"],
        "INSERT INTO authorities_region (name, slug, government_office, abbreviation) VALUES ('Test', 'test', 'GO', 'T')",
    )
    try:
        scratch = f"jisp_restore_check_{uuid.uuid4().hex[:8]}"
        result = restore_check(source, dump, scratch)
        assert result.returncode == 1
        mismatched = [line for line in result.stdout.splitlines() if line.endswith("MISMATCH")]
        assert len(mismatched) == 1
        assert mismatched[0].startswith("authorities_region ")
        assert "Restore check FAILED" in result.stderr
        assert not database_exists(scratch)
    finally:
        psql(source["url"], "DELETE FROM authorities_region WHERE slug = 'test'")


def test_restore_check_refuses_a_missing_dump_and_a_non_postgres_database(source, tmp_path):
    missing = restore_check(source, tmp_path / "nope.dump", "unused")
    assert missing.returncode == 2
    assert "usage" in missing.stderr
    sqlite = sh(["scripts/backup.sh"], {"DATABASE_URL": "sqlite:///x.db", "BACKUP_DIR": str(tmp_path)}, check=False)
    assert sqlite.returncode == 2
    assert "PostgreSQL" in sqlite.stderr


def test_a_corrupt_dump_fails_the_check_and_leaves_no_scratch_database(source, tmp_path):
    corrupt = tmp_path / "corrupt.dump"
    corrupt.write_bytes(backup(source).read_bytes()[:2000])
    scratch = f"jisp_restore_check_{uuid.uuid4().hex[:8]}"
    result = restore_check(source, corrupt, scratch)
    assert result.returncode != 0
    assert not database_exists(scratch)
