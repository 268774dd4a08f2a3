"""Journey: an in-year change, clicked as each person would from sign-in.

On Newcastle upon Tyne's approved plan the DCS asks for an in-year change; the CSA sees it on the
dashboard and starts a revision; in the revision the CSA asks Together for Children to vary its
accepted offer; the adviser sees the accepted text and submits the varied offer; the CSA accepts it
and sends the revision to the authority and for approval; the DCS approves version 2 and sees the
request done on the dashboard. axe runs on every page each person sees.
"""

import re

import pytest

from tests.browser.test_plan_journey import Person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHANGE = "Move the portfolio review to the autumn, after the new ward boundaries."
VARY = "Please move the days to the autumn term and add one for the partnership board."
VARIED = "By November 2009, provide 4 days support in re-evaluating the children's centre portfolio"


def _world():
    from plans.models import JISP
    from tests.conftest import build_world
    from tests.matrix.plans_workflow import build_plan

    world = build_world()
    return world, build_plan(world, JISP.Status.APPROVED)


def _go(person, path):
    person.page.goto(path if path.startswith("http") else person.base_url + path)
    person.page.wait_for_load_state()
    person.check()


def test_a_change_request_becomes_an_approved_revision(new_page, live_server):
    from plans.models import ChangeRequest, Offer

    world, approved = _world()
    base = live_server.url

    # --- the DCS asks for a change ------------------------------------------------------------------
    dcs = Person(new_page, base, "dcs@example.gov.uk", js=True)
    dcs.sign_in()
    assert "You have not asked for any in-year changes" in dcs.page.locator("main").inner_text()
    _go(dcs, approved.get_absolute_url())
    dcs.button("Ask for an in-year change")
    assert dcs.heading() == "Ask for an in-year change"
    dcs.button("Send the request")
    assert "Enter what should change and why" in dcs.page.locator(".govuk-error-summary").inner_text()
    dcs.fill("What should change, and why?", CHANGE)
    dcs.page.get_by_role("checkbox", name=re.compile("Together for Children")).check()
    dcs.button("Send the request")
    assert "Your change request has been sent to your Children's Services Adviser" in dcs.banner()
    assert dcs.heading() == "Change request"
    assert "Open" in dcs.page.locator("#change-request-summary").inner_text()

    # --- the CSA sees it on the dashboard and starts a revision -------------------------------------
    csa = Person(new_page, base, "csa@example.gov.uk", js=True)
    csa.sign_in()
    csa.link(re.compile(f"^Newcastle upon Tyne JISP 2009-10: {CHANGE[:30]}"))
    assert csa.heading() == "Change request"
    csa.button("Start a revision")
    assert csa.heading() == "Start a revision for this request"
    csa.fill("Message to the authority (optional)", "We will ask Together for Children to vary the offer.")
    csa.button("Start the revision")
    assert "Version 2 has been created in draft to make the change" in csa.banner()
    assert csa.heading().startswith("Newcastle upon Tyne JISP 2009-10, version 2")
    assert "this version makes the change" in csa.page.locator("#change-requests").inner_text()
    revision_url = csa.page.url

    # --- in the revision the CSA asks the provider to vary the accepted offer ------------------------
    csa.link(re.compile(r"^Ask for a variation\W+Together for Children offer on"))
    assert csa.heading() == "Ask the provider to vary the offer"
    csa.fill("What should change in the offer?", VARY)
    csa.button("Ask for a variation")
    assert "You have asked Together for Children to vary the offer" in csa.banner()

    # --- the adviser sees the accepted text and submits the varied offer -----------------------------
    offer = Offer.objects.get(priority__jisp__version=2, provider=world.tfc)
    adviser = Person(new_page, base, "adviser@tfc.example.org", js=True)
    adviser.sign_in()
    _go(adviser, offer.get_absolute_url())
    varied = adviser.page.locator("#varied-from").inner_text()
    assert "By June 2009, provide 3 days support on the portfolio" in varied
    assert VARY in varied
    adviser.button("Write your offer")
    adviser.fill("Your offer of tailored support", VARIED)
    adviser.fill("Deliver by", "30/11/2009")
    adviser.fill("Days of support", "4")
    adviser.button("Submit offer")
    assert "Your offer has been submitted" in adviser.banner()

    # --- the CSA accepts it and sends the revision for approval -------------------------------------
    _go(csa, revision_url)
    csa.link(re.compile(r"^Accept\W+Together for Children offer on"))
    csa.button("Accept the offer")
    assert "You have accepted the offer from Together for Children" in csa.banner()
    _go(csa, revision_url)
    csa.button("Send to the authority for review")
    csa.button("Send to the authority")
    csa.button("Send for approval")
    csa.button("Send for approval")
    assert "sent to the Director of Children's Services for approval" in csa.banner()

    # --- the DCS approves version 2; the request is done --------------------------------------------
    _go(dcs, revision_url)
    assert VARIED in dcs.page.locator("#annex2").inner_text()
    dcs.button("Approve the plan")
    dcs.page.get_by_label(re.compile("I approve version 2 of the Newcastle upon Tyne")).check()
    dcs.button("Approve the plan")
    assert "You have approved version 2 of the plan" in dcs.banner()
    dcs.nav("Dashboard")
    panel = dcs.page.locator("main").inner_text()
    assert "Done" in panel
    assert ChangeRequest.objects.get().status == ChangeRequest.Status.DONE
