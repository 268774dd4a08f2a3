"""Every URL of the API (``api:``) has rows in the API's endpoint × role matrix (tests/api/endpoints.py),
and the documentation page its own test (test_schema.py)."""

from django.urls import URLPattern, URLResolver, get_resolver

from tests.api.endpoints import ENDPOINTS

#: Pages of the API namespace tested outside the endpoint matrix: the rendered documentation is a
#: page for signed-in people (tests/api/test_schema.py), not an endpoint a token reads.
OWN_TESTS = {"api:docs"}


def api_urls():
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace == "api":
            return {f"api:{p.name}" for p in _patterns(entry.url_patterns) if p.name}
    raise AssertionError("no api namespace")


def _patterns(patterns):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry.url_patterns)
        elif isinstance(entry, URLPattern):
            yield entry


def test_every_api_url_has_endpoint_rows():
    names = api_urls()
    assert {"api:plan-list", "api:plan-detail", "api:schema", "api:docs"} <= names
    covered = {endpoint.url_name for endpoint in ENDPOINTS} | OWN_TESTS
    missing = sorted(names - covered)
    assert not missing, "API URLs without rows in tests/api/endpoints.py: " + ", ".join(missing)
