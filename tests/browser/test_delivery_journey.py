"""Journey: the year of delivery, clicked through by each person in their own browser — Together for
Children's adviser reports that its support on Newcastle's approved plan is at risk; the lead CSA
sees it on the dashboard and opens it; the DCS adds a comment. Each update emails the other side.
axe runs on every page visited."""

from datetime import timedelta
from decimal import Decimal

import pytest

from tests.browser.conftest import axe_check, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PRIORITY = "Reduce under-18 conceptions"
OFFER = "By May 2010, conduct 2 visits to help develop a new sexual health policy for young people"
AT_RISK = "The sexual health lead has left; the second visit is postponed."
COMMENT = "We are appointing an interim lead this month; please hold the date in June."


class Person:
    def __init__(self, new_page, base_url, email):
        self.base_url, self.email = base_url, email
        self.page = new_page()

    def sign_in(self):
        sign_in(self.page, self.base_url, self.email)
        assert self.page.locator("h1").inner_text() == "Your dashboard"
        axe_check(self.page)
        return self

    def go(self, path):
        self.page.goto(self.base_url + path)
        axe_check(self.page)

    def click(self, locator):
        locator.click()
        self.page.wait_for_load_state()
        axe_check(self.page)

    def link(self, name):
        self.click(self.page.locator("main").get_by_role("link", name=name).first)

    def main(self):
        return self.page.locator("main").inner_text()


def _approved_plan(world):
    from django.utils import timezone

    from core.working_days import add_working_days, london_date
    from plans.models import JISP, Offer
    from tests.plans.factories import JISPFactory, OfferFactory, PriorityFactory

    jisp = JISPFactory(
        authority=world.newcastle,
        period="2009-10",
        status=JISP.Status.APPROVED,
        csa=world.csa,
        approved_at=timezone.now() - timedelta(days=30),
        approved_by=world.dcs,
    )
    priority = PriorityFactory(jisp=jisp, title=PRIORITY)
    return OfferFactory(
        priority=priority,
        provider=world.tfc,
        status=Offer.Status.ACCEPTED,
        description=OFFER,
        days=Decimal("2"),
        deliver_by=add_working_days(london_date(), 15),
        submitted_at=timezone.now(),
    )


def test_provider_reports_at_risk_csa_sees_it_and_the_dcs_comments(new_page, live_server):
    from accounts.models import OutboundEmail
    from plans.models import DeliveryUpdate, Offer
    from tests.conftest import build_world

    world = build_world()
    offer = _approved_plan(world)
    base = live_server.url

    # --- the provider reports that the support is at risk -----------------------------------------
    provider = Person(new_page, base, "adviser@tfc.example.org").sign_in()
    provider.go(offer.priority.jisp.get_absolute_url())
    assert "Not started" in provider.main()
    provider.link("Delivery of the Together for Children offer")
    assert provider.page.locator("h1").inner_text() == "Delivery of Together for Children's support"
    provider.page.get_by_label("At risk", exact=True).check()
    provider.page.get_by_label("What happened").fill(AT_RISK)
    provider.page.get_by_label("Days actually given (optional)").fill("1")
    provider.click(provider.page.get_by_role("button", name="Add the update"))
    assert "The delivery status is now “At risk”" in provider.page.locator(".govuk-notification-banner").inner_text()
    assert AT_RISK in provider.main()

    # --- the CSA sees it on the dashboard --------------------------------------------------------
    csa = Person(new_page, base, "csa@example.gov.uk").sign_in()
    panel = csa.page.locator("#delivery-attention")
    assert "Together for Children on “Reduce under-18 conceptions”" in panel.inner_text()
    assert "At risk" in panel.inner_text()
    csa.click(panel.get_by_role("link", name="Together for Children on “Reduce under-18 conceptions”"))
    assert AT_RISK in csa.main()
    assert OutboundEmail.objects.filter(recipient="csa@example.gov.uk", key__startswith="delivery-update:").exists()

    # --- the DCS adds a comment ------------------------------------------------------------------
    dcs = Person(new_page, base, "dcs@example.gov.uk").sign_in()
    dcs.click(dcs.page.locator("#delivery-attention").get_by_role("link").first)
    assert dcs.page.get_by_label("Keep it as “At risk” (a comment)").is_checked()
    dcs.page.get_by_label("What happened").fill(COMMENT)
    dcs.click(dcs.page.get_by_role("button", name="Add the update"))
    assert "Your comment has been added" in dcs.page.locator(".govuk-notification-banner").inner_text()
    updates = dcs.page.locator("#delivery-updates").inner_text()
    assert updates.index(COMMENT) < updates.index(AT_RISK), "newest first"

    offer.refresh_from_db()
    assert offer.delivery_status == Offer.DeliveryStatus.AT_RISK
    assert DeliveryUpdate.objects.filter(offer=offer).count() == 2
    comment = DeliveryUpdate.objects.get(author=world.dcs)
    assert set(
        OutboundEmail.objects.filter(key=f"delivery-update:{comment.pk}").values_list("recipient", flat=True)
    ) == {"adviser@tfc.example.org", "csa@example.gov.uk"}

    # --- the Annex 2 page shows the tag and the latest update ------------------------------------
    csa.go(offer.priority.jisp.get_absolute_url())
    assert "At risk" in csa.main()
    assert COMMENT[:60] in csa.main()
