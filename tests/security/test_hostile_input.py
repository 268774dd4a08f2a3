"""Hostile input through every form of the portal (hypothesis), derived from the permission matrix.

Every POST case of ``tests.matrix`` is replayed as the role it lets through (the first role with a
redirect — the action done — and the first with a 200 — the form shown again), with one or two of its
fields replaced by hostile text: the fields the case posts and every text, hidden or select field of
the page's form. Every GET page is replayed with hostile query parameters (its filter form's fields and
the parameters views commonly read). Forms and pages added later are covered without edits here, as
soon as their matrix rows land.

For every request: never a server error; a posted form shown again has its errors in the GOV.UK error summary
(every message, linked to a field); no submitted markup reaches a page unescaped (neither the response
nor the page a redirect leads to); every email an action queues has a one-line subject, is sent, and is
plain text with the user's text as typed (not HTML-escaped). The PDF is in test_hostile_pdf.py.

Each example runs in a savepoint rolled back afterwards, so each starts from the case's own setup.
Runs are bounded: a few examples per case, no deadline, no example database.
"""

import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core import mail
from django.db import transaction
from django.forms import BaseForm
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import OutboundEmail
from accounts.tasks import send_email
from tests.conftest import ROLES
from tests.matrix import all_cases
from tests.security.hostile import (
    KITCHEN_SINK,
    KITCHEN_SINK_NO_NUL,
    MARKERS,
    SCRIPT,
    fuzzable_fields,
    hostile_text,
    page_forms,
)

CASES = all_cases()
BOUNDED = settings(
    max_examples=8,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
#: Query parameters views read besides their filter forms' fields.
COMMON_PARAMS = ["page", "q", "sort", "next", "period", "region", "authority", "kind", "status", "year", "month"]
COMMON_PARAMS += ["forum", "agenda", "title", "priority", "need", "offer", "provider", "action", "actor", "format"]


def fuzz_roles(case):
    """The first role for which the case is done (302) and the first shown the form again (200)."""
    chosen = []
    for wanted in (302, 200):
        for role in ROLES:
            if case.status_for(role) == wanted and not (role == "anonymous" and wanted == 302):
                chosen.append(role)
                break
    return chosen


POST_PARAMS = [(c, r) for c in CASES if c.method == "post" for r in fuzz_roles(c)]
GET_PARAMS = [(c, r) for c in CASES if c.method == "get" for r in fuzz_roles(c)[-1:] if c.status_for(r) == 200]


def _ids(params):
    return [f"{case.name} as {role}" for case, role in params]


# --- one request, checked ---------------------------------------------------------------------------


def forms_in(response):
    contexts = response.context if isinstance(response.context, list) else [response.context]
    found = []
    for context in contexts:
        for layer in getattr(context, "dicts", []):
            for value in layer.values():
                if isinstance(value, BaseForm) and value.is_bound and all(value is not f for f in found):
                    found.append(value)
    return found


def check_page(response, where, *, posted=False):
    assert response.status_code < 500, f"{where}: server error {response.status_code}"
    if not response.get("Content-Type", "").startswith("text/html"):
        return
    html = response.content.decode()
    for marker in MARKERS:
        assert marker not in html, f"{where}: submitted markup {marker!r} reached the page unescaped"
    inline = [tag for tag in re.findall(r"<script\b[^>]*>", html, flags=re.I) if "src=" not in tag]
    assert not inline, f"{where}: an inline script on the page: {inline}"
    # A form the user posted shows its errors in the summary; a filter form fed a tampered query string
    # (a select value no page offers) may simply ignore it.
    for form in forms_in(response) if posted and response.context is not None else []:
        if not form.errors:
            continue
        assert "govuk-error-summary" in html, f"{where}: form errors {form.errors} but no GOV.UK error summary"
        summary = html[html.index("govuk-error-summary") :]
        for errors in form.errors.values():
            for message in errors:
                assert escape(message) in summary, f"{where}: error {message!r} not in the error summary"


def check_emails(before, submitted, where):
    for email in OutboundEmail.objects.exclude(pk__in=before).order_by("pk"):
        assert "\n" not in email.subject, f"{where}: a multi-line subject"
        assert "\r" not in email.subject, f"{where}: a multi-line subject"
        sent = len(mail.outbox)
        send_email(email.pk)
        email.refresh_from_db()
        assert email.sent_at is not None, f"{where}: email {email.key} to {email.recipient} could not be sent"
        message = mail.outbox[sent]
        assert not getattr(message, "alternatives", None), f"{where}: emails are plain text only"
        if any(SCRIPT in value for value in submitted.values()):
            assert escape(SCRIPT) not in message.body, f"{where}: user text HTML-escaped in a plain-text email"


def replay(case, role, world, client, changes, method):
    """Run the case with ``changes`` over its data, check everything, roll everything back."""
    where = f"{case.name} as {role} with {sorted(changes)}"
    with transaction.atomic():
        client.cookies.clear()
        objects = case.setup(world) if case.setup else None
        url = case.url(world, objects)
        world.client_for(client, role)
        before = set(OutboundEmail.objects.values_list("pk", flat=True))
        if method == "post":
            data = dict(case.data(world, objects)) if case.data else {}
            data.update(changes)
            response = client.post(url, data)
        else:
            parts = urlsplit(url)
            data = dict(parse_qsl(parts.query, keep_blank_values=True))
            data.update(changes)
            response = client.get(parts.path, data)
        check_page(response, where, posted=method == "post")
        location = response.get("Location", "") if response.status_code in (301, 302, 303) else ""
        if location.startswith("/") and not location.startswith("//"):
            check_page(client.get(location), f"{where}, the page after the redirect to {location}")
        check_emails(before, changes, where)
        transaction.set_rollback(True)


def discovered_fields(case, role, world, client, method):
    """The case's own scalar fields, then the text-like fields of the page's forms."""
    with transaction.atomic():
        objects = case.setup(world) if case.setup else None
        url = case.url(world, objects)
        world.client_for(client, role)
        names = []
        if case.data and method == "post":
            names = [k for k, v in case.data(world, objects).items() if isinstance(v, str | int)]
        page = client.get(url)
        if page.status_code == 200 and page.get("Content-Type", "").startswith("text/html"):
            names += [n for n in fuzzable_fields(page_forms(page.content.decode()), method) if n not in names]
        transaction.set_rollback(True)
    client.cookies.clear()
    return names


def changes_for(names):
    return st.lists(st.sampled_from(names), min_size=1, max_size=2, unique=True).flatmap(
        lambda chosen: st.fixed_dictionaries({name: hostile_text for name in chosen})
    )


# --- the tests ------------------------------------------------------------------------------------


def test_every_post_form_of_the_matrix_is_fuzzed():
    """The harness finds the portal's forms (and would find a new one from its matrix row)."""
    names = {case.url_name for case, _ in POST_PARAMS}
    assert {"plans:request_changes", "plans:approve", "meetings:create", "meetings:comment"} <= names
    assert {"authorities:forum_create", "providers:feedback_create", "accounts:login"} <= names
    assert len(GET_PARAMS) > 30


@pytest.mark.parametrize(("case", "role"), POST_PARAMS, ids=_ids(POST_PARAMS))
def test_hostile_text_in_a_posted_form(case, role, world, client):
    names = discovered_fields(case, role, world, client, "post")
    if not names:
        names = ["unexpected"]  # nothing to type into: an extra field must still do no harm
    for name in names:  # every field gets every fragment at least once, whatever hypothesis draws
        for payload in (KITCHEN_SINK, KITCHEN_SINK_NO_NUL, "x" * 5000):  # the last finds missing max_length
            replay(case, role, world, client, {name: payload}, "post")

    @BOUNDED
    @given(changes=changes_for(names))
    def run(changes):
        replay(case, role, world, client, changes, "post")

    run()


@pytest.mark.parametrize(("case", "role"), GET_PARAMS, ids=_ids(GET_PARAMS))
def test_hostile_query_parameters_on_a_page(case, role, world, client):
    names = discovered_fields(case, role, world, client, "get")
    names += [n for n in COMMON_PARAMS if n not in names]

    @settings(BOUNDED, max_examples=3)
    @given(changes=changes_for(names))
    def run(changes):
        replay(case, role, world, client, changes, "get")

    run()
