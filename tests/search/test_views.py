"""The search box in the header and the results page: what a user sees."""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from search.index import rebuild
from tests.meetings.factories import MeetingNoteFactory, meeting_for
from tests.search.cast import build

URL = reverse("search:results")
DUE = date(2026, 3, 9)


@pytest.fixture
def csa(world, client):
    return world.client_for(client, "csa")


def test_the_header_has_a_search_box_for_signed_in_users(world, client):
    page = client.get(reverse("accounts:login")).content.decode()
    assert 'role="search"' not in page
    page = world.client_for(client, "dcs").get(reverse("accounts:dashboard")).content.decode()
    assert f'<form class="app-header-search__form" method="get" action="{URL}" role="search"' in page
    assert '<label class="govuk-visually-hidden" for="app-header-search">Search the portal</label>' in page


def test_without_a_query_the_page_asks_for_words(world, csa):
    page = csa.get(URL).content.decode()
    assert "Enter words to search for" in page
    assert "result" not in page.split('id="search-results"')[1]


def test_results_link_to_the_objects_with_counts_per_kind_and_marked_snippets(world, csa):
    o = build(world)
    page = csa.get(URL, {"q": "tapir"}).content.decode()
    assert "1 result for “tapir”" in page
    assert f'href="{o["plan"].get_absolute_url()}">Newcastle upon Tyne JISP 2010-11 (version 1)</a>' in page
    assert 'A <mark class="app-search-mark">tapir</mark> multi-agency audit of referrals' in page.replace(
        "Tapir", "tapir"
    )
    kinds = page.split('id="search-kinds"')[1].split("</ul>")[0]
    assert '<strong aria-current="true">Everything (1)</strong>' in kinds
    assert "?q=tapir&amp;kind=plan" in kinds
    assert "Plans (1)" in kinds
    assert "Offers (0)" in kinds
    assert "kind=offer" not in kinds


def test_what_people_wrote_is_escaped_in_titles_and_snippets(world, csa):
    meeting = meeting_for(world, title="<b>Review</b>", purpose='Budget pressures & "cuts" <script>alert("x")</script>')
    rebuild()
    page = csa.get(URL, {"q": "budget"}).content.decode()
    assert "<script>alert" not in page
    assert '<mark class="app-search-mark">Budget</mark> pressures &amp; &quot;cuts&quot;' in page
    assert "&lt;b&gt;Review&lt;/b&gt;" in page
    assert meeting.get_absolute_url() in page


def test_choosing_a_kind_shows_only_that_kind_and_keeps_the_counts(world, csa):
    build(world)
    page = csa.get(URL, {"q": "quokka", "kind": "offer"}).content.decode()
    results = page.split('class="govuk-list app-search-results"')[1].split("</ol>")[0]
    assert results.count('class="app-search-result"') == 2
    assert "Offers</strong>" in results
    assert "Plans</strong>" not in results
    assert '<strong aria-current="true">Offers (2)</strong>' in page
    assert "Plans (1)</a>" in page
    assert '<input type="hidden" name="kind" value="offer">' in page


def test_filters_by_authority_period_and_status(world, csa):
    build(world)
    page = csa.get(URL, {"q": "quokka", "authority": world.gateshead.gss_code}).content.decode()
    assert "0 results for “quokka”" in page
    assert "There are no matching results" in page
    page = csa.get(URL, {"q": "quokka", "period": "2010-11", "status": "draft"}).content.decode()
    assert "1 result for “quokka”" in page
    assert f'<option value="{world.newcastle.gss_code}">Newcastle upon Tyne</option>' in page
    assert '<option value="2010-11" selected>2010-11</option>' in page


def test_a_filter_not_in_the_list_is_an_error_linked_to_its_field(world, csa):
    build(world)
    response = csa.get(URL, {"q": "quokka", "authority": "E99999999", "status": "lost"})
    page = response.content.decode()
    assert response.status_code == 200
    assert '<h2 class="govuk-error-summary__title">There is a problem</h2>' in page
    assert '<a href="#id_authority">Select an authority from the list</a>' in page
    assert '<a href="#id_status">Select a status from the list</a>' in page
    assert "govuk-select govuk-select--error" in page
    assert "3 results for “quokka”" in page  # the other filters still apply


def test_results_are_paginated(world, csa):
    for n in range(30):
        meeting_for(world, title=f"Safeguarding panel {n}")
    rebuild()
    page = csa.get(URL, {"q": "panel"}).content.decode()
    assert "30 results for “panel”" in page
    assert page.count('class="app-search-result"') == 25
    assert "?q=panel&amp;page=2" in page
    page = csa.get(URL, {"q": "panel", "page": 2}).content.decode()
    assert page.count('class="app-search-result"') == 5
    assert '<ol class="govuk-list app-search-results" start="26">' in page


def _queries(client, query):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {"q": query})
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_number_of_queries_does_not_grow_with_the_results(world, csa):
    for n in range(2):
        MeetingNoteFactory(
            meeting=meeting_for(world, title=f"Fostering panel {n}"), author=world.csa, draft="Draft", draft_due=DUE
        )
    rebuild()
    few, page = _queries(csa, "fostering")
    assert "4 results" in page  # two meetings and their notes
    for n in range(2, 22):
        MeetingNoteFactory(
            meeting=meeting_for(world, title=f"Fostering panel {n}"), author=world.csa, draft="Draft", draft_due=DUE
        )
    rebuild()
    many, page = _queries(csa, "fostering")
    assert "44 results" in page
    assert len(re.findall('class="app-search-result"', page)) == 25
    assert many == few
