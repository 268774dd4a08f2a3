"""Every named URL of the portal has rows in the permission matrix (``tests.matrix``).

Adding a URL without matrix cases fails here, naming the URL. Left out: the Django admin's own
patterns (the admin is covered as a whole by the "django admin" case and tests/accounts/test_admin_site.py),
static files, ``healthz`` (tests/accounts/test_healthz.py), and the API's own URLs (``api:``), which
have their own matrix of endpoint × role (tests/api/endpoints.py) and coverage test
(tests/api/test_url_coverage.py).
"""

from django.urls import URLPattern, URLResolver, get_resolver

from tests.matrix import all_cases

EXCLUDED_NAMESPACES = {"admin", "api"}
EXCLUDED_NAMES = {"healthz"}


def named_urls(patterns=None, namespace=""):
    names = set()
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in EXCLUDED_NAMESPACES:
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names |= named_urls(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            if entry.name.startswith("static") or entry.lookup_str.startswith("django.contrib.staticfiles"):
                continue
            names.add(f"{namespace}{entry.name}")
    return names - EXCLUDED_NAMES


def test_the_walk_finds_the_portal_urls():
    names = named_urls()
    assert {"accounts:dashboard", "accounts:login", "accounts:audit_log"} <= names
    assert not any(name.startswith("admin:") for name in names)
    assert "healthz" not in names


def test_every_named_url_has_permission_matrix_cases():
    covered = {case.url_name for case in all_cases()}
    missing = sorted(named_urls() - covered)
    assert not missing, "URLs without permission-matrix cases (add Case rows in tests/matrix/): " + ", ".join(missing)
