"""Journey 1, the plan, clicked as each person would from sign-in, with and without JavaScript.

The CSA starts a plan, adds a priority with a need and a National Indicator and invites Together
for Children; the provider's adviser submits an offer; the CSA challenges it; the adviser revises
it; the CSA accepts it and sends the plan to the authority and then for approval; the DCS requests
changes; the CSA sends it again; the DCS approves; the signed-off PDF's link appears and the
adviser downloads the PDF.

Each person has their own browser context. axe runs on every page each person sees. Without
JavaScript axe cannot run in the page itself, so each person also has a JavaScript-enabled
"shadow" context, signed in as the same person, that opens the same address (a GET, which changes
nothing) and runs axe there.
"""

import re

import pytest

from tests.browser.conftest import axe_check, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PRIORITY = "Reduce under-18 conceptions"
NEED = "Sexual health services that young people in the west of the city use"
OFFER = "A generic programme of teenage pregnancy workshops"
CHALLENGE = "A generic programme: say what you will do here."
REVISED = "By May 2010, conduct 2 visits to help develop a new sexual health policy for young people"


class Person:
    """One person in the journey: their page (JavaScript on or off) and, without JavaScript, a
    JavaScript-enabled page of their own on which the pages they visit are checked with axe."""

    def __init__(self, new_page, base_url, email, *, js):
        self.base_url, self.email, self.js = base_url, email, js
        self.page = new_page(java_script_enabled=js)
        self.shadow = None
        if not js:
            self.shadow = new_page(java_script_enabled=True)
            sign_in(self.shadow, base_url, email)
        self.checked = []

    def sign_in(self):
        sign_in(self.page, self.base_url, self.email)
        assert self.page.locator("h1").inner_text() == "Your dashboard"
        self.check()

    def check(self):
        """axe on the page the person is looking at (without JavaScript: the same address, opened
        in their JavaScript-enabled context)."""
        if self.js:
            axe_check(self.page)
        else:
            response = self.shadow.goto(self.page.url)
            assert response.ok, f"{self.page.url} answered {response.status} in the checking context"
            axe_check(self.shadow)
        self.checked.append(self.page.url)

    # --- clicks -----------------------------------------------------------------------------------

    def nav(self, label):
        self.page.locator("#navigation").get_by_role("link", name=label, exact=True).click()
        self.page.wait_for_load_state()
        self.check()

    def link(self, name, *, exact=False):
        self.page.get_by_role("link", name=name, exact=exact).first.click()
        self.page.wait_for_load_state()
        self.check()

    def button(self, name):
        """A GOV.UK button: a real <button> or a link styled as one (role="button")."""
        self.page.locator("main").get_by_role("button", name=name, exact=True).click()
        self.page.wait_for_load_state()
        self.check()

    def fill(self, label, value):
        self.page.get_by_label(label, exact=True).fill(value)

    def banner(self):
        return self.page.locator(".govuk-notification-banner").inner_text()

    def heading(self):
        return self.page.locator("h1").inner_text()

    def open_plan(self, authority="Newcastle upon Tyne"):
        """Plans in the menu, then the plan in the list."""
        self.nav("Plans")
        self.page.locator("#plans").get_by_role("link", name=re.compile(f"^{authority}")).first.click()
        self.page.wait_for_load_state()
        assert self.heading().startswith(f"{authority} JISP 2010-11")
        self.check()

    def open_offer(self):
        """The adviser's Offers in the menu, then the offer in the list."""
        self.nav("Offers")
        self.page.locator("#offers-table").get_by_role("link", name=re.compile(PRIORITY)).click()
        self.page.wait_for_load_state()
        assert self.heading() == "Together for Children offer"
        self.check()


def _world():
    from tests.authorities.factories import NationalIndicatorFactory
    from tests.conftest import build_world

    world = build_world()
    NationalIndicatorFactory(number=112, title="Under 18 conception rate")
    return world


def _add_priority(csa):
    page = csa.page
    page.get_by_role("link", name="Add a priority", exact=True).click()
    if csa.js:  # htmx puts the form in the table
        page.locator("#new-priority form").wait_for()
    else:
        page.wait_for_load_state()
        assert csa.heading() == "Add a priority"
    csa.check()
    csa.fill("Priority", PRIORITY)
    if csa.js:  # the autocomplete (static/js/ni-picker.mjs) in place of the multiple select
        page.get_by_role("combobox", name="Add a National Indicator").fill("112")
        page.get_by_role("option", name="NI 112 Under 18 conception rate", exact=True).click()
        page.get_by_role("button", name="Remove NI 112 Under 18 conception rate", exact=True).wait_for()
    else:
        page.get_by_label("National Indicators (optional)", exact=True).select_option("112")
    page.get_by_role("button", name="Add priority", exact=True).click()
    row = page.locator("tbody.app-annex2__row", has_text=PRIORITY)
    row.wait_for()
    assert "NI 112 Under 18 conception rate" in row.inner_text()
    if not csa.js:
        assert f"The priority “{PRIORITY}” has been added" in csa.banner()
    csa.check()


def _add_need(csa):
    page = csa.page
    page.get_by_role("link", name=re.compile(f"^Add a need for “{PRIORITY}”")).click()
    if csa.js:  # htmx puts the form in the Needs cell
        page.locator(".app-annex2__needs-cell form").wait_for()
    else:
        page.wait_for_load_state()
        assert csa.heading() == "Add a need"
    csa.check()
    csa.fill("Need", NEED)
    page.get_by_role("button", name="Add need", exact=True).click()
    page.locator(".app-annex2__needs", has_text=NEED).wait_for()
    if not csa.js:
        assert "The need has been added" in csa.banner()
    csa.check()


def _wait_for_pdf_link(person):
    """Until the PDF is stored the plan says it is being prepared: with JavaScript htmx polls the
    status every few seconds; without, the person follows the "refresh the page" link."""
    link = person.page.get_by_role("link", name="Download the signed-off plan (PDF)")
    for _ in range(20):
        if link.count():
            return link
        if person.js:
            person.page.wait_for_timeout(1000)
        else:
            person.page.get_by_role("link", name="refresh the page").click()
            person.page.wait_for_load_state()
    raise AssertionError("The signed-off PDF link never appeared")


class HeldRenders:
    """Holds the PDF render that approval queues, so that the page can be seen while the PDF is
    being prepared; ``run()`` then does what the worker would."""

    def __init__(self, monkeypatch):
        self.ids = []
        monkeypatch.setattr("plans.services.workflow.queue_pdf_render", self.ids.append)

    def run(self):
        from plans.tasks import render_jisp_pdf

        assert self.ids, "Approval queued no PDF render"
        for pk in self.ids:
            render_jisp_pdf.delay(pk)


def _journey(new_page, base_url, *, js, renders):
    # --- the CSA starts the plan ------------------------------------------------------------------
    csa = Person(new_page, base_url, "csa@example.gov.uk", js=js)
    csa.sign_in()
    csa.nav("Plans")
    csa.button("Start a plan")
    assert csa.heading() == "Start a plan"
    csa.page.get_by_label("Local authority", exact=True).select_option(label="Newcastle upon Tyne")
    csa.fill("Period", "2010-11")
    csa.button("Start the plan")
    assert "The Newcastle upon Tyne plan for 2010-11 has been started in draft" in csa.banner()
    plan_url = csa.page.url

    _add_priority(csa)
    _add_need(csa)

    csa.link(f"Invite providers to offer support on “{PRIORITY}”", exact=True)
    assert csa.heading() == "Invite providers to offer support"
    csa.page.get_by_label("Together for Children", exact=True).check()
    csa.page.get_by_label("Which need should the offer address?").select_option(label=NEED)
    csa.fill("Message to the providers", "Please offer support tailored to the west of the city.")
    csa.button("Send invitations")
    assert csa.page.url == plan_url
    assert "Together for Children has been invited to offer support" in csa.banner()

    # --- the provider's adviser submits an offer ---------------------------------------------------
    adviser = Person(new_page, base_url, "adviser@tfc.example.org", js=js)
    adviser.sign_in()
    adviser.open_offer()
    assert "Invited" in adviser.page.locator("main").inner_text()
    adviser.button("Write your offer")
    assert adviser.heading() == "Write your offer"
    adviser.fill("Your offer of tailored support", OFFER)
    adviser.fill("Deliver by", "31/05/2010")
    adviser.fill("Days of support", "4")
    adviser.fill("Funding (£)", "1500")
    adviser.button("Submit offer")
    assert "Your offer has been submitted" in adviser.banner()

    # --- the CSA challenges it ---------------------------------------------------------------------
    csa.open_plan()
    csa.link(re.compile(r"^Challenge\W+Together for Children offer on"))
    assert csa.heading() == "Challenge the offer"
    csa.fill("Why is this offer not tailored to the authority's needs?", CHALLENGE)
    csa.button("Challenge the offer")
    assert "You have challenged the offer" in csa.banner()

    # --- the adviser revises and resubmits ---------------------------------------------------------
    adviser.open_offer()
    assert CHALLENGE in adviser.page.locator("#challenge-reason").inner_text()
    adviser.button("Revise and resubmit")
    assert adviser.heading() == "Revise your offer"
    adviser.fill("Your offer of tailored support", REVISED)
    adviser.button("Resubmit offer")
    assert "Your revised offer has been resubmitted" in adviser.banner()

    # --- the CSA accepts it and sends the plan to the authority, then for approval -----------------
    csa.open_plan()
    csa.link(re.compile(r"^Accept\W+Together for Children offer on"))
    assert csa.heading() == "Accept the offer"
    csa.button("Accept the offer")
    assert "You have accepted the offer from Together for Children" in csa.banner()
    csa.link(re.compile("^Newcastle upon Tyne JISP 2010-11"))  # the breadcrumb back to the plan
    csa.button("Send to the authority for review")
    csa.button("Send to the authority")
    assert "The plan has been sent to the authority for review" in csa.banner()
    csa.button("Send for approval")
    assert csa.heading() == "Send the plan for approval"
    csa.button("Send for approval")
    assert "The plan has been sent to the Director of Children's Services for approval" in csa.banner()

    # --- the DCS requests changes ------------------------------------------------------------------
    dcs = Person(new_page, base_url, "dcs@example.gov.uk", js=js)
    dcs.sign_in()
    dcs.open_plan()
    assert REVISED in dcs.page.locator("#annex2").inner_text()
    dcs.button("Request changes")
    assert dcs.heading() == "Request changes to the plan"
    dcs.fill("What needs to change?", "Say when the visits will happen.")
    dcs.button("Request changes")
    assert "You have asked for changes" in dcs.banner()

    # --- the CSA sends it again --------------------------------------------------------------------
    csa.open_plan()
    assert "Say when the visits will happen." in csa.page.locator("#decisions").inner_text()
    csa.button("Send for approval")
    csa.button("Send for approval")
    assert "sent to the Director of Children's Services for approval" in csa.banner()

    # --- the DCS approves; the PDF link appears -----------------------------------------------------
    dcs.open_plan()
    dcs.button("Approve the plan")
    assert dcs.heading() == "Approve version 1 of the plan"
    dcs.page.get_by_label(re.compile("I approve version 1 of the Newcastle upon Tyne")).check()
    dcs.button("Approve the plan")
    assert "You have approved version 1 of the plan" in dcs.banner()
    assert "The signed-off PDF is being prepared" in dcs.page.locator("#pdf-status").inner_text()
    renders.run()  # the worker renders and stores the PDF
    _wait_for_pdf_link(dcs)
    dcs.check()

    # --- the adviser downloads the PDF -------------------------------------------------------------
    adviser.open_offer()
    adviser.link("See the whole plan", exact=True)
    assert adviser.heading().startswith("Newcastle upon Tyne JISP 2010-11, version 1")
    link = _wait_for_pdf_link(adviser)
    with adviser.page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == "newcastle-upon-tyne-jisp-2010-11-version-1.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    return csa, adviser, dcs


@pytest.mark.parametrize("js", [True, False], ids=["javascript", "no-javascript"])
def test_plan_journey(js, new_page, live_server, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    _world()
    people = _journey(new_page, live_server.url, js=js, renders=HeldRenders(monkeypatch))
    assert all(person.checked for person in people)
