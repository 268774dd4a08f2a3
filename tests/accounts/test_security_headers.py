"""Production hardening, asserted on real responses of a portal started with DJANGO_ENV=production
(in a subprocess, as tests/accounts/test_settings.py does): the SSL redirect, HSTS, secure cookies,
the CSP and the other security headers."""

import json

from tests.accounts.test_settings import REAL_KEY, run

PROBE = r"""
import json, django
django.setup()
from django.conf import settings as s
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
out = {}
c = Client()
r = c.get("/sign-in/")
out["http"] = [r.status_code, r.get("Location", "")]
r = c.get("/sign-in/", secure=True)
out["https_status"] = r.status_code
out["headers"] = {k: r.get(k, "") for k in (
    "Strict-Transport-Security", "Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options",
    "Referrer-Policy", "Cross-Origin-Opener-Policy")}
csrf = r.cookies.get(s.CSRF_COOKIE_NAME)
out["csrf_cookie_secure"] = bool(csrf and csrf["secure"])
out["settings"] = {
    "SESSION_COOKIE_SECURE": s.SESSION_COOKIE_SECURE, "CSRF_COOKIE_SECURE": s.CSRF_COOKIE_SECURE,
    "SESSION_COOKIE_HTTPONLY": s.SESSION_COOKIE_HTTPONLY, "SECURE_SSL_REDIRECT": s.SECURE_SSL_REDIRECT,
    "DEBUG": s.DEBUG, "SECRET_KEY_FALLBACKS": s.SECRET_KEY_FALLBACKS,
    "TWO_FACTOR_REQUIRED_ROLES": s.TWO_FACTOR_REQUIRED_ROLES,
}
r = c.get("/healthz")
out["healthz_plain_http"] = r.status_code
print(json.dumps(out))
"""


def probe(env, tmp_path):
    result = run(env, code=PROBE, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def production(tmp_path, **extra):
    env = {"DJANGO_ENV": "production", "SECRET_KEY": REAL_KEY, "ALLOWED_HOSTS": "testserver", **extra}
    return probe(env, tmp_path)


def test_production_redirects_http_to_https_and_sends_hsts(tmp_path):
    out = production(tmp_path)
    assert out["http"] == [301, "https://testserver/sign-in/"]
    assert out["https_status"] == 200
    assert out["headers"]["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_production_cookies_are_secure(tmp_path):
    out = production(tmp_path)
    assert out["csrf_cookie_secure"] is True
    assert out["settings"]["SESSION_COOKIE_SECURE"] is True
    assert out["settings"]["CSRF_COOKIE_SECURE"] is True
    assert out["settings"]["SESSION_COOKIE_HTTPONLY"] is True
    assert out["settings"]["DEBUG"] is False


def test_production_pages_carry_the_csp_and_security_headers(tmp_path):
    headers = production(tmp_path)["headers"]
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "form-action 'self'" in csp
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_health_checks_over_plain_http_are_not_redirected(tmp_path):
    out = production(tmp_path)
    assert out["healthz_plain_http"] in (200, 503)


def test_secret_key_fallbacks_and_two_factor_roles_come_from_the_environment(tmp_path):
    old = "o" * 20 + "-an-old-key-being-rotated-out-000000000"
    out = production(tmp_path, SECRET_KEY_FALLBACKS=old, TWO_FACTOR_REQUIRED_ROLES="admin,go_director,csa")
    assert out["settings"]["SECRET_KEY_FALLBACKS"] == [old]
    assert out["settings"]["TWO_FACTOR_REQUIRED_ROLES"] == ["admin", "go_director", "csa"]


def test_development_sends_no_hsts_and_does_not_redirect(tmp_path):
    out = probe({"DJANGO_ENV": "development"}, tmp_path)
    assert out["http"][0] == 200
    assert out["headers"]["Strict-Transport-Security"] == ""
    assert out["settings"]["SECRET_KEY_FALLBACKS"] == []
