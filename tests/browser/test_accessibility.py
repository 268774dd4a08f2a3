"""Every page each role can open, through axe: no WCAG 2.0/2.1/2.2 A or AA violations.

The pages come from the permission matrix (``tests.matrix``): every GET case and every role the
matrix gives a 200, so a page whose matrix rows land is swept with no change here; and for each
role one "not allowed" (403) and one "not found" (404) page. Roles that only
differ by region or provider (``csa_other``…) stand in for their pair only where the first of the
pair may not open the page. One browser, one context per role; a case with a ``setup`` runs on a
fresh world, as it does in the matrix. Downloads (CSV, XLSX, PDF, iCalendar) and htmx fragments
(swept inside the page that includes them) are fetched and checked for their status only.
"""

from collections import defaultdict

import pytest

from tests.browser.conftest import add_session_cookie, axe_violations, close_context, open_context
from tests.conftest import ROLES
from tests.matrix import all_cases

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: A role that only differs from another by its region or provider stands in for it only when needed.
PAIRS = {"csa_other": "csa", "go_director_other": "go_director", "dcs_other": "dcs", "provider_other": "provider"}


def pages_by_role():
    """role -> [(case, status)]: every page the role may open (200), and its first 403 and 404 pages."""
    by_role = defaultdict(list)
    errors = defaultdict(dict)
    for case in all_cases():
        if case.method != "get":
            continue
        allowed = [role for role in ROLES if case.status_for(role) == 200]
        for role in allowed:
            if PAIRS.get(role) in allowed:
                continue
            by_role[role].append((case, 200))
        for role in ROLES:
            status = case.status_for(role)
            if status in (403, 404) and role not in PAIRS:
                errors[role].setdefault(status, case)
    for role, pages in errors.items():
        by_role[role].extend((case, status) for status, case in sorted(pages.items()))
    # Cases without a setup share one untouched world; each case with a setup gets a fresh one.
    return {role: sorted(pages, key=lambda page: page[0].setup is not None) for role, pages in by_role.items()}


PAGES = pages_by_role()


#: Reference rows every world keeps (created once by migrate; their ids are cached in Django).
KEEP = {"django_content_type", "auth_permission"}


def fresh_world():
    """Empty every table (DELETE in one transaction: foreign keys are checked at commit, and on
    PostgreSQL this is much faster than flush's TRUNCATE), then build the world again."""
    from django.db import connection, transaction

    from tests.conftest import build_world

    tables = [t for t in connection.introspection.django_table_names(only_existing=True) if t not in KEEP]
    with transaction.atomic(), connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")
    return build_world()


@pytest.mark.parametrize("role", list(PAGES))
def test_every_page_the_role_can_open_passes_axe(role, browser, live_server, request):
    context = open_context(browser, request)
    page = context.new_page()
    world, dirty, checked, problems = None, True, 0, []
    try:
        for case, status in PAGES[role]:
            if dirty or case.setup:
                world, dirty = fresh_world(), False
                if role != "anonymous":
                    add_session_cookie(context, live_server.url, world.users[role])
                else:
                    context.clear_cookies()
            objects = case.setup(world) if case.setup else None
            dirty = case.setup is not None
            url = live_server.url + case.url(world, objects)
            response = context.request.get(url, max_redirects=0)
            if response.status != status:
                problems.append(f"{case.name}: {url} gave {response.status}, the matrix says {status}")
                continue
            checked += 1
            if not response.headers.get("content-type", "").startswith("text/html"):
                continue  # a download: its content is the export tests' business
            if "<html" not in response.text()[:500].lower():
                continue  # an htmx fragment: swept inside the page that includes it
            page.goto(url)
            violations = axe_violations(page)
            if violations:
                problems.append(f"{case.name} ({url}):\n" + "\n".join(violations))
    finally:
        close_context(context)
    # A role may have only downloads of its own (provider_other: its own deployment plan).
    assert checked, f"no page checked as {role}"
    assert not problems, f"as {role}:\n" + "\n\n".join(problems)
