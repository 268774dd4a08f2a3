"""The National Indicator picker on the Annex 2 page: the plain multiple select, enhanced with
accessible-autocomplete (static/js/ni-picker.mjs) in the priority form htmx puts in the table.

The CSA adds a priority inline, types "concep", picks "NI 112 Under 18 conception rate", removes it
and adds it again with the keyboard, adds a second by number, removes that, and saves; the Annex 2
row shows the indicator. Changing the priority inline shows the picker again (enhanced after the
swap) with the indicator chosen. axe runs with the autocomplete's menu open and on the edit form.
"""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_check

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PRIORITY = "Reduce under-18 conceptions"
NI112 = "NI 112 Under 18 conception rate"
NI109 = "NI 109 Delivery of Sure Start Children's Centres"


def _plan():
    from authorities.reference import load_national_indicators
    from tests.conftest import build_world
    from tests.plans.factories import JISPFactory

    world = build_world()
    load_national_indicators()  # the whole set, 76 indicators
    return JISPFactory(authority=world.newcastle, period="2010-11", csa=world.csa)


def _selected(page):
    """What the hidden select would post."""
    return page.eval_on_selector("select[name=indicators]", "s => Array.from(s.selectedOptions, o => o.value)")


def _pick(page, query, name, *, keyboard=False):
    combo = page.get_by_role("combobox", name="Add a National Indicator")
    combo.fill(query)
    option = page.get_by_role("option", name=name, exact=True)
    expect(option).to_be_visible()
    if keyboard:
        page.keyboard.press("ArrowDown")  # to the first option
        expect(option).to_have_attribute("aria-selected", "true")
        page.keyboard.press("Enter")
    else:
        option.click()
    expect(page.locator(".app-ni-picker__chosen")).to_contain_text(name)
    expect(combo).to_have_value("")  # emptied for the next one
    expect(combo).to_be_focused()


def test_the_csa_picks_national_indicators_with_the_autocomplete(browser_for, live_server):
    jisp = _plan()
    page = browser_for("csa@example.gov.uk")
    page.goto(f"{live_server.url}{jisp.get_absolute_url()}")
    page.get_by_role("link", name="Add a priority", exact=True).click()
    form = page.locator("#new-priority form")
    form.wait_for()

    # The plain select is there, hidden, and the autocomplete is in its place with its label and hint.
    combo = page.get_by_role("combobox", name="Add a National Indicator")
    expect(combo).to_be_visible()
    expect(form.locator("select[name=indicators]")).to_be_hidden()
    expect(form.locator("#id_indicators_hint")).to_contain_text("Type a number or words from the title")
    assert "id_indicators_hint" in combo.get_attribute("aria-describedby")
    expect(form.get_by_text("No National Indicators chosen yet.")).to_be_visible()

    page.get_by_label("Priority", exact=True).fill(PRIORITY)
    combo.fill("concep")
    option = page.get_by_role("option", name=NI112, exact=True)
    expect(option).to_be_visible()
    expect(page.get_by_role("option")).to_have_count(1)
    axe_check(page)  # with the menu open
    option.click()
    expect(page.locator(".app-ni-picker__chosen li")).to_have_text([f"{NI112} Remove {NI112}"])
    expect(combo).to_have_value("")
    assert _selected(page) == ["112"]

    # Remove it: the select is deselected and focus goes back to the autocomplete.
    page.get_by_role("button", name=f"Remove {NI112}", exact=True).click()
    expect(page.locator(".app-ni-picker__chosen li")).to_have_count(0)
    expect(combo).to_be_focused()
    assert _selected(page) == []

    # Add it again with the keyboard, and a second one by its number; a chosen one is not offered again.
    _pick(page, "concep", NI112, keyboard=True)
    _pick(page, "109", NI109)
    combo.fill("conception")
    expect(page.get_by_text("No National Indicator matches")).to_be_visible()
    combo.fill("")
    assert sorted(_selected(page)) == ["109", "112"]
    page.get_by_role("button", name=f"Remove {NI109}", exact=True).click()
    expect(page.get_by_role("button", name=f"Remove {NI112}", exact=True)).to_be_focused()
    assert _selected(page) == ["112"]

    page.get_by_role("button", name="Add priority", exact=True).click()
    row = page.locator("tbody.app-annex2__row", has_text=PRIORITY)
    row.wait_for()
    expect(row.locator(".app-annex2__indicators")).to_have_text(NI112)
    priority = jisp.priorities.get()
    assert [ni.number for ni in priority.indicators.all()] == [112]

    # The Annex 2 page as anyone opening it sees it.
    page.reload()
    expect(page.locator("tbody.app-annex2__row", has_text=PRIORITY).locator(".app-annex2__indicators")).to_have_text(
        NI112
    )

    # Change the priority inline: the form htmx brings is enhanced too, with the indicator chosen.
    page.get_by_role("link", name=f"Change the priority “{PRIORITY}”", exact=True).click()
    edit = page.locator(f"#priority-{priority.pk} form")
    edit.wait_for()
    expect(edit.get_by_role("button", name=f"Remove {NI112}", exact=True)).to_be_visible()
    expect(edit.locator("select[name=indicators]")).to_be_hidden()
    axe_check(page)
    _pick(page, "sure start", NI109)
    edit.get_by_role("button", name=f"Remove {NI112}", exact=True).click()
    edit.get_by_role("button", name="Save priority", exact=True).click()
    row = page.locator(f"tbody#priority-{priority.pk}.app-annex2__row")
    expect(row.locator(".app-annex2__indicators")).to_have_text(NI109)
    assert [ni.number for ni in priority.indicators.all()] == [109]


def test_without_javascript_the_plain_select_is_used(browser_for, live_server):
    jisp = _plan()
    page = browser_for("csa@example.gov.uk", js=False)
    page.goto(f"{live_server.url}{jisp.get_absolute_url()}")
    page.get_by_role("link", name="Add a priority", exact=True).click()
    page.wait_for_load_state()
    select = page.get_by_label("National Indicators (optional)", exact=True)
    expect(select).to_be_visible()
    page.get_by_label("Priority", exact=True).fill(PRIORITY)
    select.select_option(["112", "109"])
    axe_check(page)
    page.get_by_role("button", name="Add priority", exact=True).click()
    page.wait_for_load_state()
    row = page.locator("tbody.app-annex2__row", has_text=PRIORITY)
    expect(row.locator(".app-annex2__indicators li")).to_have_text([NI109, NI112])
