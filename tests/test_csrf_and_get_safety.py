"""Generic over every POST case of the permission matrix (so every engineer's actions are covered):

- a POST without a CSRF token is refused with 403 and changes nothing;
- a GET to a POST-only action changes nothing (405, a page — a confirmation or the form — or a redirect);
- every HTML page of the matrix carries the Content-Security-Policy.
"""

import re

import pytest
from django.apps import apps
from django.test import Client

from tests.conftest import ROLES
from tests.matrix import all_cases

CASES = all_cases()
POST_CASES = [c for c in CASES if c.method == "post"]
GET_CASES = [c for c in CASES if c.method == "get"]
PORTAL_APPS = ("accounts", "authorities", "providers", "plans", "meetings", "improvement", "otp_totp")


def acting_role(case):
    """The role the case lets through: a 2xx if any role gets one, else a redirect, else admin."""
    signed_in = [r for r in ROLES if r != "anonymous"] + ["anonymous"]
    for wanted in (range(200, 300), range(300, 400)):
        for role in signed_in:
            if case.status_for(role) in wanted and not (role == "anonymous" and wanted.start == 300):
                return role
    return "admin"


def snapshot():
    """Every row of every table of the portal's apps (the test world is small)."""
    state = {}
    for app in PORTAL_APPS:
        for model in apps.get_app_config(app).get_models():
            state[model._meta.label] = list(model._default_manager.order_by("pk").values())
    return state


def prepared(case, world, client):
    objects = case.setup(world) if case.setup else None
    url = case.url(world, objects)
    role = acting_role(case)
    world.client_for(client, role)
    data = case.data(world, objects) if case.data else {}
    return url, data, role


def test_there_are_post_cases_to_check():
    assert POST_CASES
    assert GET_CASES


@pytest.mark.parametrize("case", POST_CASES, ids=[c.name for c in POST_CASES])
def test_post_without_a_csrf_token_is_refused_and_changes_nothing(case, world):
    client = Client(enforce_csrf_checks=True)
    url, data, role = prepared(case, world, client)
    before = snapshot()
    response = client.post(url, data)
    assert response.status_code == 403, f"{case.name} as {role}: expected 403 without a CSRF token"
    assert snapshot() == before, f"{case.name}: a refused POST changed the database"


@pytest.mark.parametrize("case", POST_CASES, ids=[c.name for c in POST_CASES])
def test_get_to_a_post_action_changes_nothing(case, world, client):
    url, data, role = prepared(case, world, client)
    before = snapshot()
    response = client.get(url)
    assert response.status_code in (200, 302, 405), f"{case.name} as {role}: GET gave {response.status_code}"
    assert snapshot() == before, f"{case.name}: a GET changed the database"


@pytest.mark.parametrize("case", GET_CASES, ids=[c.name for c in GET_CASES])
def test_every_html_page_carries_the_content_security_policy(case, world, client):
    url, data, role = prepared(case, world, client)
    response = client.get(url, data)
    if not response["Content-Type"].startswith("text/html"):
        return
    csp = response.get("Content-Security-Policy", "")
    assert "default-src 'self'" in csp, f"{case.name}: no CSP"
    assert "script-src 'self'" in csp, f"{case.name}: no CSP"
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    html = response.content.decode()
    inline_scripts = [tag for tag in re.findall(r"<script\b[^>]*>", html) if "src=" not in tag]
    assert not inline_scripts, f"{case.name}: inline script the CSP would block: {inline_scripts}"
    assert not re.search(r"<[^>]+\sstyle=", html), f"{case.name}: a style= attribute the CSP would block"
    assert not re.search(r"<[^>]+\son[a-z]+=", html), f"{case.name}: an on*= handler the CSP would block"
