"""docker-compose.yml parses and names the stack the README describes; the README names the commands.
The image, the compose check, scripts/setup.sh, the dependency audit and CI's stages."""

import importlib.util
import os
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


def test_compose_file_has_the_production_stack():
    text = (ROOT / "docker-compose.yml").read_text()
    for service in ("web:", "worker:", "beat:", "postgres:", "redis:"):
        assert f"\n  {service}" in text
    assert "image: postgres:16" in text
    assert "image: redis:7" in text
    assert text.count("healthcheck:") >= 4


def test_compose_file_parses_with_every_service_configured():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"web", "worker", "beat", "postgres", "redis"}
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert env["DJANGO_ENV"] == "production"
        assert env["TRUSTED_PROXY_COUNT"] == "${TRUSTED_PROXY_COUNT:-0}", "documented in SECURITY.md"
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["CELERY_BROKER_URL"].startswith("redis://")
        assert services[name]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert "gunicorn" in services["web"]["command"]
    assert "worker" in services["worker"]["command"]
    assert "beat" in services["beat"]["command"]
    assert {"pgdata", "media"} <= set(compose["volumes"])


def test_readme_names_the_two_commands_that_ci_uses():
    readme = (ROOT / "README.md").read_text()
    assert "make run" in readme
    assert "make test" in readme
    assert "make run     # set up and run the portal with demo data on http://127.0.0.1:8000" in readme
    assert "make test    # set up and run every test" in readme
    assert "the first `make run` on a fresh clone takes about" in readme
    assert "make test" in (ROOT / ".ci" / "run").read_text()


# --- the production image and docker-compose.yml (issue #14) -------------------------------------


def load_script(name):
    """A module from scripts/ (not a package), by file name."""
    spec = importlib.util.spec_from_file_location(name.removesuffix(".py"), ROOT / "scripts" / name)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_image_creates_the_media_directory_for_its_user():
    compose_check = load_script("compose_check.py")
    user, owned = compose_check.dockerfile_owned_dirs(ROOT / "Dockerfile")
    assert user == "jisp"
    assert {"/srv/var", "/srv/media"} <= owned
    assert "MEDIA_ROOT=/srv/media" in (ROOT / "Dockerfile").read_text()
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    for name in ("web", "worker", "beat"):
        assert "media:/srv/media" in compose["services"][name]["volumes"]
        assert compose["services"][name]["environment"]["MEDIA_ROOT"] == "/srv/media"


def run_script(*args, cwd=ROOT, env=None):
    return subprocess.run(["bash", *map(str, args)], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_compose_check_passes():
    result = run_script(ROOT / "scripts" / "compose-check.sh")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "check out" in result.stdout or "config accepts" in result.stdout


@pytest.mark.parametrize(
    ("breakage", "message"),
    [
        (lambda compose, dockerfile: (compose, dockerfile.replace(" /srv/media", "")), "does not create /srv/media"),
        (lambda compose, dockerfile: (compose.replace("environment:", "enviroment:", 1), dockerfile), "unknown key"),
        (lambda compose, dockerfile: (compose.replace("  media:\n", ""), dockerfile), "'media' is not declared"),
        (lambda compose, dockerfile: (compose.replace("${SECRET_KEY:?", "${SECRET KEY:?"), dockerfile), "malformed"),
    ],
    ids=["media-not-owned", "typo", "volume-undeclared", "bad-variable"],
)
def test_compose_check_fails_on_a_broken_stack(tmp_path, breakage, message):
    compose, dockerfile = breakage((ROOT / "docker-compose.yml").read_text(), (ROOT / "Dockerfile").read_text())
    (tmp_path / "docker-compose.yml").write_text(compose)
    (tmp_path / "Dockerfile").write_text(dockerfile)
    result = run_script(ROOT / "scripts" / "compose-check.sh", tmp_path / "docker-compose.yml")
    assert result.returncode == 1
    assert message in result.stderr


# --- scripts/setup.sh (issue #14: it died under set -e without --dev) ----------------------------


@pytest.fixture
def checkout(tmp_path):
    """A checkout with setup.sh and a stand-in .venv whose python logs its calls: no network, no pip."""
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "setup.sh", tmp_path / "scripts" / "setup.sh")
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (tmp_path / "constraints.txt").write_text("x==1\n")
    fake_bin = tmp_path / "fake-bin"
    fake_bin.mkdir()
    for name, body in {
        "ldconfig": "echo '\tlibpango-1.0.so.0 (libc6,x86-64) => /usr/lib/libpango-1.0.so.0'",
        "fc-list": "exit 0",
    }.items():
        (fake_bin / name).write_text(f"#!/bin/sh\n{body}\n")
        (fake_bin / name).chmod(0o755)
    venv_bin = tmp_path / ".venv" / "bin"
    venv_bin.mkdir(parents=True)
    python = venv_bin / "python"
    python.write_text(
        '#!/bin/sh\necho "$*" >> "$(dirname "$0")/../../calls.log"\n'
        'case "$*" in *"pip install"*) exit "${FAKE_PIP_STATUS:-0}" ;; esac\nexit 0\n'
    )
    python.chmod(0o755)
    env = {**os.environ, "PATH": f"{fake_bin}:{os.environ['PATH']}"}
    return tmp_path, env


def installs(tmp_path):
    log = tmp_path / "calls.log"
    return [line for line in log.read_text().splitlines() if "pip install" in line] if log.exists() else []


def test_setup_without_dev_installs_then_reuses(checkout):
    tmp_path, env = checkout
    first = run_script("scripts/setup.sh", cwd=tmp_path, env=env)
    assert first.returncode == 0, first.stderr
    assert [line.split()[-1] for line in installs(tmp_path)] == ["."]
    assert (tmp_path / ".venv" / ".installed").exists()
    assert (tmp_path / "var").is_dir()
    second = run_script("scripts/setup.sh", cwd=tmp_path, env=env)
    assert second.returncode == 0, second.stderr
    assert len(installs(tmp_path)) == 1  # nothing changed: nothing installed


def test_setup_dev_installs_the_extra_and_covers_a_plain_run(checkout):
    tmp_path, env = checkout
    assert run_script("scripts/setup.sh", "--dev", cwd=tmp_path, env=env).returncode == 0
    assert [line.split()[-1] for line in installs(tmp_path)] == [".[dev]"]
    assert run_script("scripts/setup.sh", cwd=tmp_path, env=env).returncode == 0
    assert len(installs(tmp_path)) == 1


def test_setup_reinstalls_when_the_pins_change(checkout):
    tmp_path, env = checkout
    assert run_script("scripts/setup.sh", cwd=tmp_path, env=env).returncode == 0
    stamp = tmp_path / ".venv" / ".installed"
    os.utime(stamp, (stamp.stat().st_mtime - 60,) * 2)
    assert run_script("scripts/setup.sh", cwd=tmp_path, env=env).returncode == 0
    assert len(installs(tmp_path)) == 2


def test_setup_says_what_failed_and_how_to_fix_it(checkout):
    tmp_path, env = checkout
    result = run_script("scripts/setup.sh", cwd=tmp_path, env={**env, "FAKE_PIP_STATUS": "1"})
    assert result.returncode == 1
    assert "pip could not install the pinned dependencies" in result.stderr
    assert "run again" in result.stderr
    assert not (tmp_path / ".venv" / ".installed").exists()
    assert run_script("scripts/setup.sh", "--bogus", cwd=tmp_path, env=env).returncode == 2


# --- the dependency audit (scripts/audit.sh) -----------------------------------------------------


def test_constraints_pin_every_dependency_as_pyproject_does():
    audit = load_script("dependency_audit.py")
    pins = audit.read_pins((ROOT / "constraints.txt").read_text())
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for requirement in [*project["dependencies"], *project["optional-dependencies"]["dev"]]:
        name, version = requirement.split("==")
        assert pins.get(audit.canonical(name.split("[")[0])) == version, requirement


def vuln(vuln_id, fixes=(), aliases=()):
    return {"id": vuln_id, "fix_versions": list(fixes), "aliases": list(aliases), "description": "..."}


def test_audit_fails_on_a_vulnerability_with_a_fix():
    audit = load_script("dependency_audit.py")
    report = {
        "dependencies": [
            {"name": "jinja2", "version": "2.4.1", "vulns": [vuln("PYSEC-2019-217", ["2.10.1"], ["CVE-2019-10906"])]},
            {"name": "django", "version": "5.2.19", "vulns": []},
        ]
    }
    status, lines = audit.verdict(report, {})
    assert status == 1
    assert "VULNERABLE jinja2 2.4.1: PYSEC-2019-217, fixed in 2.10.1" in lines
    assert lines[-1].startswith("dependency audit: FAILED: 1 known vulnerability with a fix")


def test_audit_waivers_match_ids_and_aliases_and_unfixed_ones_only_warn():
    audit = load_script("dependency_audit.py")
    report = {
        "dependencies": [
            {"name": "jinja2", "version": "2.4.1", "vulns": [vuln("PYSEC-2019-217", ["2.10.1"], ["CVE-2019-10906"])]},
            {"name": "pillow", "version": "13.0.0", "vulns": [vuln("GHSA-aaaa-bbbb-cccc")]},
        ]
    }
    status, lines = audit.verdict(report, {"CVE-2019-10906": "templates are ours", "PYSEC-2000-1": "old"})
    assert status == 0
    assert "waived   jinja2 2.4.1: PYSEC-2019-217 (templates are ours)" in lines
    assert "no fix   pillow 13.0.0: GHSA-aaaa-bbbb-cccc (no fix released yet)" in lines
    assert any(line.startswith("unused waiver PYSEC-2000-1") for line in lines)
    assert (
        lines[-1]
        == "dependency audit: OK: 2 pins audited, no known vulnerability with a fix (1 waived, 1 without a fix yet)"
    )


def test_audit_that_could_not_reach_the_service_is_not_a_pass():
    audit = load_script("dependency_audit.py")
    skipped = {
        "name": "django",
        "skip_reason": "Dependency not found on PyPI and could not be audited: django (5.2.19)",
    }
    status, lines = audit.verdict({"dependencies": [skipped]}, {})
    assert status == 3
    assert "NOT DONE" in lines[-1]


def test_audit_waivers_need_a_reason():
    audit = load_script("dependency_audit.py")
    waivers, problems = audit.read_waivers(
        "# comment\nGHSA-aaaa-bbbb-cccc  not reachable: we never parse TIFF\nPYSEC-2024-9\nfoo bar\n"
    )
    assert waivers == {"GHSA-aaaa-bbbb-cccc": "not reachable: we never parse TIFF"}
    assert problems == [
        "line 3: the waiver of PYSEC-2024-9 gives no reason",
        "line 4: 'foo' is not a PYSEC-, GHSA- or CVE- id",
    ]
    assert audit.read_waivers((ROOT / ".pip-audit-waivers").read_text())[1] == []
    assert audit.unpinned({"a": "1", "b": "2", "c": "3"}, {"a": "1", "b": "3"}) == [
        "b==2 (pinned 3)",
        "c==3 (not pinned)",
    ]


# --- CI runs all of it ---------------------------------------------------------------------------


def test_ci_runs_the_smoke_stage_the_checks_and_ends_with_make_test():
    ci = (ROOT / ".ci" / "run").read_text()
    order = [
        ci.index(step) for step in ("scripts/smoke-run.sh", "scripts/compose-check.sh", "scripts/audit.sh", "make test")
    ]
    assert order == sorted(order)
    assert ci.rstrip().endswith("make test")
    assert ci.index("scripts/smoke-run.sh") < ci.index("export DATABASE_URL")
    for script in ("smoke-run.sh", "compose-check.sh", "audit.sh", "setup.sh", "run.sh"):
        assert os.access(ROOT / "scripts" / script, os.X_OK), script


def test_smoke_run_reports_the_reason_make_run_gave():
    smoke = load_script("smoke_run.py")
    assert smoke.role("/x/.venv/bin/python .venv/bin/celery -A jisp_portal worker --loglevel=INFO") == "worker"
    assert smoke.role("/x/.venv/bin/python .venv/bin/celery -A jisp_portal beat") == "beat"
    assert smoke.role(".venv/bin/python manage.py runserver 127.0.0.1:8000") == "web"
    assert smoke.processes(session=-1, root="/nonexistent-scratch") == []


def test_smoke_run_last_message(tmp_path):
    smoke = load_script("smoke_run.py")
    log = tmp_path / "log"
    log.write_text(
        "Creating .venv\nmake run: Setting up .venv (scripts/setup.sh) failed (exit 1). Fix it.\nmake: *** Error 1\n"
    )
    assert smoke.last_message(str(log)) == "make run: Setting up .venv (scripts/setup.sh) failed (exit 1). Fix it."
    assert smoke.last_message(str(tmp_path / "missing")) == "(no output)"


def test_the_developer_commands_ask_for_development_explicitly():
    """DEBUG needs DJANGO_ENV=development set explicitly (jisp_portal/settings.py), so each command a
    developer runs sets it, and every deployment file says production."""
    assert "export DJANGO_ENV=development" in (ROOT / "scripts" / "run.sh").read_text()
    assert "export DJANGO_ENV=development" in (ROOT / "scripts" / "test.sh").read_text()
    assert "DJANGO_ENV=development .venv/bin/python manage.py bench" in (ROOT / "Makefile").read_text()
    assert 'os.environ.setdefault("DJANGO_ENV", "development")' in (ROOT / "tests" / "settings.py").read_text()
    pytest_settings = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    assert pytest_settings["DJANGO_SETTINGS_MODULE"] == "tests.settings"
    assert "DJANGO_ENV=production" in (ROOT / "Dockerfile").read_text()
