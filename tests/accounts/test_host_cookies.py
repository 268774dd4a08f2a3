"""ASVS 3.4.4: in production the session and CSRF cookies carry the ``__Host-`` prefix — Secure,
Path=/ and no Domain — so a sibling subdomain can neither read nor plant them. Asserted on a real
sign-in of a portal started with DJANGO_ENV=production (a subprocess, as test_security_headers)."""

import json

from tests.accounts.test_settings import REAL_KEY, run

PROBE = r"""
import json, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
from accounts.models import Role, User
User.objects.create_user("national@example.gov.uk", "a-long-enough-password", full_name="N", role=Role.NATIONAL)
c = Client()
page = c.get("/sign-in/", secure=True)
r = c.post("/sign-in/", {"username": "national@example.gov.uk", "password": "a-long-enough-password"}, secure=True)
out = {"status": r.status_code, "cookies": {}}
for name, morsel in list(page.cookies.items()) + list(r.cookies.items()):
    out["cookies"][name] = {"secure": bool(morsel["secure"]), "path": morsel["path"], "domain": morsel["domain"],
                             "httponly": bool(morsel["httponly"]), "samesite": morsel["samesite"]}
print(json.dumps(out))
"""


def test_production_session_and_csrf_cookies_are_host_prefixed(tmp_path):
    env = {
        "DJANGO_ENV": "production",
        "SECRET_KEY": REAL_KEY,
        "ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    result = run(env, code=PROBE, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["status"] == 302, out
    cookies = out["cookies"]
    assert {"__Host-sessionid", "__Host-csrftoken"} <= cookies.keys(), cookies.keys()
    assert "sessionid" not in cookies
    assert "csrftoken" not in cookies
    for name in ("__Host-sessionid", "__Host-csrftoken"):
        assert cookies[name]["secure"] is True
        assert cookies[name]["path"] == "/"
        assert cookies[name]["domain"] == ""
    assert cookies["__Host-sessionid"]["httponly"] is True
