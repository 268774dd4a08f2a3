"""Search: the authority's DCS searches from the header for a challenged offer and finds it as it was
submitted, never the provider's revision; filters by kind; follows the result. Without JavaScript,
as the search works without it. axe runs on every page visited."""

import pytest

from tests.browser.conftest import axe_check, click_and_wait

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def search_from_header(page, words):
    page.get_by_label("Search the portal").first.fill(words)
    click_and_wait(page, page.locator("header").get_by_role("button", name="Search"))
    axe_check(page)


def test_the_dcs_searches_from_the_header_and_finds_only_what_they_may_see(browser_for):
    from tests.conftest import build_world
    from tests.search.cast import build

    world = build_world()
    objects = build(world)
    dcs = browser_for(world.dcs.email, js=False)

    search_from_header(dcs, "narwhal")
    assert dcs.locator("h1").inner_text() == "Search"
    assert dcs.locator("#search-count").inner_text() == "1 result for “narwhal”"
    result = dcs.locator(".app-search-result")
    assert result.locator("mark").inner_text().lower() == "narwhal"
    assert "Axolotl" not in dcs.locator("#search-results").inner_text()

    # The provider's revision is not found; the page says how to search better.
    search_from_header(dcs, "axolotl")
    assert dcs.locator("#search-count").inner_text() == "0 results for “axolotl”"
    assert "There are no matching results" in dcs.locator("#search-results").inner_text()

    # A kind, then the result itself.
    search_from_header(dcs, "quokka")
    click_and_wait(dcs, dcs.get_by_role("link", name="Offers (1)"))
    axe_check(dcs)
    assert dcs.locator(".app-search-result").count() == 1  # the challenged offer, as submitted
    click_and_wait(dcs, dcs.get_by_role("link", name="Plans (1)"))
    axe_check(dcs)
    click_and_wait(dcs, dcs.locator(".app-search-result a").first)
    assert dcs.url.endswith(objects["plan"].get_absolute_url())
