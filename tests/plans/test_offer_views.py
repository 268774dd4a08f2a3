"""The offer pages as users meet them: the CSA's invitation, the provider's offer page (what it
shows and never shows), writing, saving and submitting an offer, a stale save, the challenge and its
timeline, the dashboards, the "Offers" navigation item and list, and the Annex 2 row include."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from authorities.models import NationalIndicator
from core.working_days import add_working_days, london_date
from plans import services
from plans.models import JISP, Offer
from tests.plans.factories import JISPFactory, NeedFactory, OfferFactory, PriorityFactory

S = JISP.Status
O = Offer.Status  # noqa: E741
pytestmark = pytest.mark.django_db

GOOD = "By May 2010, conduct 2 visits to help develop a new sexual health policy for young people"


@pytest.fixture
def draft(world):
    """Newcastle's 2010-11 draft plan: two priorities; TfC invited and NS submitted on the first."""
    ni, _ = NationalIndicator.objects.get_or_create(
        number=112, defaults={"title": "Under 18 conception rate", "ecm_outcome": "be_healthy"}
    )
    jisp = JISPFactory(authority=world.newcastle, period="2010-11", status=S.DRAFT, csa=world.csa)
    teen = PriorityFactory(jisp=jisp, title="Reduce teenage pregnancy", order=1)
    teen.indicators.add(ni)
    need = NeedFactory(priority=teen, description="Develop a sexual health policy for young people")
    other = PriorityFactory(jisp=jisp, title="A secret second priority", order=2)
    tfc = OfferFactory(
        priority=teen, need=need, provider=world.tfc, status=O.INVITED, respond_by=add_working_days(london_date(), 3)
    )
    ns = OfferFactory(
        priority=teen,
        need=need,
        provider=world.ns,
        status=O.SUBMITTED,
        description="National Strategies' confidential PSHE offer",
        deliver_by=date(2010, 6, 30),
        days=Decimal("4"),
        submitted_at=timezone.now(),
    )
    return {"jisp": jisp, "teen": teen, "need": need, "other": other, "tfc": tfc, "ns": ns}


def page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


# --- the CSA's invitation -------------------------------------------------------------------------


def test_csa_invites_from_the_priority_and_returns_to_the_plan_with_a_banner(world, draft, client):
    url = reverse("plans:invite", kwargs={"pk": draft["teen"].pk})
    html = page(client, world.csa, url)
    assert "Invite providers to offer support" in html
    assert add_working_days(london_date(), 10).strftime("%d/%m/%Y") in html  # the default respond-by date
    respond_by = add_working_days(london_date(), 12)
    response = client.post(
        url,
        {
            "providers": [world.ns.pk],
            "need": str(draft["need"].pk),
            "message": "Please help",
            "respond_by": respond_by.strftime("%d/%m/%Y"),
        },
        follow=True,
    )
    assert response.redirect_chain[0][0] == draft["jisp"].get_absolute_url()
    assert "National Strategies has been invited to offer support" in response.content.decode()
    invited = Offer.objects.get(provider=world.ns, status=O.INVITED)
    assert (invited.need, invited.respond_by) == (draft["need"], respond_by)


def test_invitation_errors_link_to_the_field(world, draft, client):
    url = reverse("plans:invite", kwargs={"pk": draft["teen"].pk})
    client.force_login(world.csa)
    saturday = london_date() + timedelta(days=(5 - london_date().weekday()) % 7 or 7)
    html = client.post(url, {"providers": [world.ns.pk], "respond_by": saturday.strftime("%d/%m/%Y")}).content.decode()
    assert "govuk-error-summary" in html
    assert 'href="#id_respond_by"' in html
    assert "must be a working day" in html
    html = client.post(url, {"respond_by": "31/02/2030"}).content.decode()
    assert "Select at least one provider to invite" in html
    assert "Enter a real date" in html


# --- the offer page -------------------------------------------------------------------------------


def test_provider_sees_what_its_offer_answers_and_nothing_else_of_the_draft_plan(world, draft, client):
    html = page(client, world.provider, draft["tfc"].get_absolute_url())
    for text in (
        "Newcastle upon Tyne",
        "2010-11",
        "Reduce teenage pregnancy",
        "Develop a sexual health policy for young people",
        "NI 112 Under 18 conception rate",
        "Write your offer",
    ):
        assert text in html, text
    assert "National Strategies&#x27; confidential PSHE offer" not in html
    assert "confidential PSHE" not in html
    assert "A secret second priority" not in html
    assert "See the whole plan" not in html  # a draft plan is not the provider's to see


def test_another_providers_offer_is_not_found(world, draft, client):
    client.force_login(world.provider)
    assert client.get(draft["ns"].get_absolute_url()).status_code == 404


def test_the_csa_sees_accept_and_challenge_on_a_submitted_offer(world, draft, client):
    html = page(client, world.csa, draft["ns"].get_absolute_url())
    assert "Accept" in html
    assert "Challenge" in html
    assert "See the whole plan" in html


# --- writing and submitting -----------------------------------------------------------------------


def offer_form(offer, **changes):
    data = {
        "lock_version": offer.lock_version,
        "description": GOOD,
        "deliver_by": "31/05/2010",
        "days": "2.5",
        "funding": "",
        "notes": "",
    }
    data.update(changes)
    return data


def test_provider_saves_a_draft_then_submits(world, draft, client):
    offer = draft["tfc"]
    url = reverse("plans:offer_edit", kwargs={"pk": offer.pk})
    client.force_login(world.provider)
    response = client.post(url, offer_form(offer, deliver_by="", save_draft=""), follow=True)
    assert "saved as a draft" in response.content.decode()
    offer.refresh_from_db()
    assert (offer.status, offer.description) == (O.INVITED, GOOD)
    client.force_login(world.dcs)
    assert client.get(offer.get_absolute_url()).status_code == 404  # still a draft for the authority

    client.force_login(world.provider)
    response = client.post(url, offer_form(offer, submit_offer=""), follow=True)
    assert "Your offer has been submitted" in response.content.decode()
    offer.refresh_from_db()
    assert (offer.status, offer.days, offer.deliver_by) == (O.SUBMITTED, Decimal("2.5"), date(2010, 5, 31))
    client.force_login(world.dcs)
    assert GOOD in client.get(offer.get_absolute_url()).content.decode()


def test_submitting_an_incomplete_offer_shows_the_error_on_the_field(world, draft, client):
    offer = draft["tfc"]
    client.force_login(world.provider)
    html = client.post(
        reverse("plans:offer_edit", kwargs={"pk": offer.pk}), offer_form(offer, days="", submit_offer="")
    ).content.decode()
    assert 'href="#id_days"' in html
    assert "Enter the days of support, the funding, or both" in html
    offer.refresh_from_db()
    assert offer.status == O.INVITED


def test_a_stale_save_keeps_the_users_text_and_says_who_changed_it(world, draft, client):
    offer = draft["tfc"]
    services.save_offer_draft(actor=world.provider, offer=offer, data={"notes": "From another tab"}, lock_version=0)
    client.force_login(world.provider)
    html = client.post(
        reverse("plans:offer_edit", kwargs={"pk": offer.pk}),
        offer_form(offer, lock_version=0, description="My careful wording", save_draft=""),
    ).content.decode()
    assert "Nothing was saved" in html
    assert "My careful wording" in html
    offer.refresh_from_db()
    assert offer.description == ""
    assert offer.notes == "From another tab"


def test_challenge_needs_a_reason_and_the_exchange_shows_as_a_timeline(world, draft, client):
    offer = draft["ns"]
    url = reverse("plans:offer_challenge", kwargs={"pk": offer.pk})
    client.force_login(world.csa)
    html = client.post(
        url, {"reason": "", "respond_by": add_working_days(london_date(), 5).strftime("%d/%m/%Y")}
    ).content.decode()
    assert "Enter why the offer is not tailored enough" in html
    response = client.post(
        url,
        {
            "reason": "This is the generic PSHE programme",
            "respond_by": add_working_days(london_date(), 5).strftime("%d/%m/%Y"),
        },
        follow=True,
    )
    assert "You have challenged the offer" in response.content.decode()

    client.force_login(world.provider_other)
    edit = reverse("plans:offer_edit", kwargs={"pk": offer.pk})
    assert "This is the generic PSHE programme" in client.get(edit).content.decode()
    offer.refresh_from_db()
    client.post(edit, offer_form(offer, description="By June 2010, 3 days in six named schools", submit_offer=""))
    html = page(client, world.provider_other, offer.get_absolute_url())
    timeline = html[html.index('id="offer-timeline"') :]
    assert (
        timeline.index("Challenged")
        < timeline.index("This is the generic PSHE programme")
        < timeline.index("Revised and resubmitted")
        < timeline.index("By June 2010, 3 days in six named schools")
    )


# --- dashboards, navigation and the list ----------------------------------------------------------


def test_provider_dashboard_lists_invitations_to_answer_and_offers(world, draft, client):
    html = page(client, world.provider, reverse("accounts:dashboard"))
    assert "Invitations and offers to answer" in html
    assert "Your offers" in html
    table = html[html.index('id="offers-to-answer"') :]
    assert "Reduce teenage pregnancy" in table
    assert draft["tfc"].respond_by.strftime("%-d %b %Y") in table
    assert 'href="/plans/offers/"' in html  # the Offers navigation item


def test_csa_dashboard_lists_offers_to_decide_and_overdue_invitations(world, draft, client):
    Offer.objects.filter(pk=draft["tfc"].pk).update(respond_by=add_working_days(london_date(), -1))
    html = page(client, world.csa, reverse("accounts:dashboard"))
    awaiting = html[html.index('id="offers-awaiting-decision"') :]
    assert "National Strategies on “Reduce teenage pregnancy”" in awaiting
    overdue = html[html.index('id="offers-overdue"') :]
    assert "Together for Children on “Reduce teenage pregnancy”" in overdue
    assert ">Offers</a>" not in html  # the navigation item is the provider's


def test_the_csa_and_provider_dashboards_read_their_offers_in_constant_queries(world, draft, client):
    """The CSA's offers to decide and the provider's invitations and latest offers are lists of
    hundreds on a national scale: each is one query however long, and every row is shown."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(user):
        client.force_login(user)
        with CaptureQueriesContext(connection) as ctx:
            html = client.get(reverse("accounts:dashboard")).content.decode()
        return len(ctx.captured_queries), html

    csa_few, _ = queries(world.csa)
    provider_few, _ = queries(world.provider)
    for i in range(8):
        priority = PriorityFactory(jisp=draft["jisp"], title=f"Priority number {i}", order=10 + i)
        OfferFactory(priority=priority, provider=world.ns, status=O.SUBMITTED, submitted_at=timezone.now())
        OfferFactory(priority=priority, provider=world.tfc, status=O.INVITED, respond_by=london_date())
        OfferFactory(priority=priority, provider=world.tfc, status=O.ACCEPTED, submitted_at=timezone.now())
    csa_many, html = queries(world.csa)
    awaiting = html[html.index('id="offers-awaiting-decision"') : html.index("</ul>", html.index("offers-awaiting"))]
    assert awaiting.count("<li>") == 9
    assert "National Strategies on “Priority number 7”" in awaiting
    provider_many, html = queries(world.provider)
    assert html.count("Priority number") == 8 + 8  # each invitation, and each accepted offer among the latest
    assert (csa_many, provider_many) == (csa_few, provider_few)


def test_offer_list_filters_by_status_in_constant_queries(world, draft, client, django_assert_max_num_queries):
    client.force_login(world.provider)
    url = reverse("plans:offer_list")
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for _ in range(12):
        OfferFactory(priority=PriorityFactory(jisp=draft["jisp"]), provider=world.tfc, status=O.SUBMITTED)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(url).content.decode()
    assert "National Strategies" not in html
    html = client.get(url, {"status": "invited"}).content.decode()
    assert html.count('class="govuk-table__row"') == 2  # the header and the one invitation


# --- offers on the Annex 2 page ------------------------------------------------------------------


def annex2(client, user, jisp):
    return page(client, user, reverse("plans:detail", kwargs={"pk": jisp.pk}))


def test_annex2_rows_carry_the_csas_offer_actions(world, draft, client):
    html = annex2(client, world.csa, draft["jisp"])
    assert html.count("Invite providers") == 2
    assert reverse("plans:offer_accept", kwargs={"pk": draft["ns"].pk}) in html
    assert reverse("plans:offer_challenge", kwargs={"pk": draft["ns"].pk}) in html
    assert reverse("plans:offer_withdraw", kwargs={"pk": draft["tfc"].pk}) in html


def test_annex2_shows_the_authority_no_invitations_and_no_actions(world, draft, client):
    draft["jisp"].status = S.WITH_AUTHORITY
    draft["jisp"].save()
    html = annex2(client, world.dcs, draft["jisp"])
    assert draft["ns"].get_absolute_url() in html
    assert draft["tfc"].get_absolute_url() not in html
    assert "Invite providers" not in html
    assert reverse("plans:offer_accept", kwargs={"pk": draft["ns"].pk}) not in html


def test_annex2_marks_overdue_invitations(world, draft, client):
    Offer.objects.filter(pk=draft["tfc"].pk).update(respond_by=add_working_days(london_date(), -2))
    assert "Overdue since" in annex2(client, world.csa, draft["jisp"])


def test_annex2_offer_actions_cost_no_query_per_offer(world, draft, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("plans:detail", kwargs={"pk": draft["jisp"].pk})
    client.force_login(world.csa)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for provider in (world.tfc, world.ns):
        for _ in range(5):
            OfferFactory(priority=draft["other"], provider=provider, status=O.SUBMITTED, description="More")
    with CaptureQueriesContext(connection) as many:
        html = client.get(url).content.decode()
    assert html.count("plans/offers/") > 10
    assert len(many) == len(few)
