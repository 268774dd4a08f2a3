"""The delivery pages as users meet them: an offer's delivery page (its updates and the form), adding
an update and a comment (banner, errors on their fields), the Annex 2 page of an approved plan (each
offer's delivery tag and latest update, kept fresh in the cached table, in a number of queries that
does not grow with the rows), the dashboards' overdue support, and the signed-off PDF left as it was."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.working_days import london_date
from plans import services
from plans.models import JISP, DeliveryUpdate, Offer
from tests.plans.factories import JISPFactory, OfferFactory, PriorityFactory

S = JISP.Status
D = Offer.DeliveryStatus
pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(world):
    jisp = JISPFactory(
        authority=world.newcastle, period="2009-10", status=S.APPROVED, csa=world.csa, approved_at=timezone.now()
    )
    return jisp


def add_offers(world, jisp, n, **fields):
    offers = []
    for i in range(n):
        priority = PriorityFactory(jisp=jisp, title=f"Priority {i}")
        offers.append(
            OfferFactory(
                priority=priority,
                provider=world.tfc if i % 2 == 0 else world.ns,
                status=Offer.Status.ACCEPTED,
                description=f"Support number {i}",
                days=Decimal("2"),
                **fields,
            )
        )
    return offers


def url(offer):
    return reverse("plans:offer_delivery", kwargs={"pk": offer.pk})


def test_the_provider_reports_at_risk_and_sees_it_in_the_history(world, client, approved):
    (offer,) = add_offers(world, approved, 1)
    client.force_login(world.provider)
    page = client.get(url(offer)).content.decode()
    assert "No updates yet." in page
    assert "Add an update" in page
    response = client.post(
        url(offer), {"status": "at_risk", "note": "The trainer is off sick", "days_given": "0.5"}, follow=True
    )
    page = response.content.decode()
    assert "The delivery status is now “At risk”" in page
    assert "The trainer is off sick" in page
    assert "Days actually given: 0.5" in page
    assert 'govuk-tag--orange">At risk' in page


def test_a_comment_keeps_the_status(world, client, approved):
    (offer,) = add_offers(world, approved, 1, delivery_status=D.ON_TRACK)
    client.force_login(world.dcs)
    response = client.post(url(offer), {"status": "", "note": "Please copy in the school nurses"}, follow=True)
    assert "Your comment has been added" in response.content.decode()
    offer.refresh_from_db()
    assert offer.delivery_status == D.ON_TRACK


def test_errors_are_shown_on_their_fields(world, client, approved):
    (offer,) = add_offers(world, approved, 1)
    client.force_login(world.provider)
    response = client.post(url(offer), {"status": "at_risk", "note": "", "days_given": "-2"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert 'href="#id_note"' in page
    assert "Enter what happened" in page
    assert "Days actually given must be 0 or more" in page
    assert not DeliveryUpdate.objects.exists()


def test_viewers_who_may_not_report_see_the_history_without_the_form(world, client, approved):
    (offer,) = add_offers(world, approved, 1)
    services.report_delivery(actor=world.provider, offer=offer, status=D.ON_TRACK, note="First visit held")
    for user in (world.go_director, world.national):
        client.force_login(user)
        page = client.get(url(offer)).content.decode()
        assert "First visit held" in page
        assert "Add an update" not in page


def test_a_draft_plan_explains_that_delivery_starts_once_approved(world, client):
    jisp = JISPFactory(authority=world.newcastle, period="2010-11", status=S.DRAFT, csa=world.csa)
    (offer,) = add_offers(world, jisp, 1)
    client.force_login(world.csa)
    page = client.get(url(offer)).content.decode()
    assert "Delivery is reported once the plan is approved." in page
    assert "Add an update" not in page


# --- the Annex 2 page -----------------------------------------------------------------------------


def test_the_approved_annex2_page_shows_delivery_tags_and_the_latest_update_at_once(world, client, approved):
    first, second = add_offers(world, approved, 2)
    client.force_login(world.dcs)
    plan_url = approved.get_absolute_url()
    page = client.get(plan_url).content.decode()
    assert page.count('app-delivery-tag govuk-tag--grey">Not started') == 2
    services.report_delivery(actor=world.provider, offer=first, status=D.AT_RISK, note="Venue cancelled")
    page = client.get(plan_url).content.decode()  # the cached table is replaced
    assert 'app-delivery-tag govuk-tag--orange">At risk' in page
    assert "Venue cancelled" in page
    assert url(first) in page
    assert url(second) in page


def test_a_draft_annex2_page_shows_offer_statuses_not_delivery(world, client):
    jisp = JISPFactory(authority=world.newcastle, period="2010-11", status=S.DRAFT, csa=world.csa)
    add_offers(world, jisp, 1)
    client.force_login(world.csa)
    page = client.get(jisp.get_absolute_url()).content.decode()
    assert "app-delivery-tag" not in page


def _queries(client, path):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def test_the_approved_annex2_page_queries_do_not_grow_with_the_rows(world, client, approved):
    offers = add_offers(world, approved, 2)
    for offer in offers:
        services.report_delivery(actor=world.csa, offer=offer, status=D.ON_TRACK, note="Going well")
    client.force_login(world.dcs)
    few = _queries(client, approved.get_absolute_url())
    for offer in add_offers(world, approved, 10):
        services.report_delivery(actor=world.csa, offer=offer, status=D.AT_RISK, note="Late")
    assert _queries(client, approved.get_absolute_url()) == few


def test_the_delivery_page_queries_do_not_grow_with_the_updates(world, client, approved):
    (offer,) = add_offers(world, approved, 1)
    services.report_delivery(actor=world.provider, offer=offer, status=D.ON_TRACK, note="One")
    client.force_login(world.csa)
    few = _queries(client, url(offer))
    for n in range(8):
        services.report_delivery(actor=world.dcs, offer=offer, status="", note=f"Comment {n}")
    assert _queries(client, url(offer)) == few


# --- dashboards -----------------------------------------------------------------------------------


def test_overdue_delivery_on_the_csa_and_dcs_dashboards(world, client, approved):
    (late,) = add_offers(world, approved, 1, deliver_by=london_date() - timedelta(days=5))
    for user in (world.csa, world.dcs):
        client.force_login(user)
        page = client.get(reverse("accounts:dashboard")).content.decode()
        assert "Overdue delivery" in page
        assert url(late) in page
        assert 'govuk-tag--red">Overdue' in page
    client.force_login(world.csa_other)
    page = client.get(reverse("accounts:dashboard")).content.decode()
    assert "No support is overdue or at risk." in page


# --- the regional and national delivery tables ----------------------------------------------------


def _region_url(world, name="plans:delivery_region"):
    return reverse(name, kwargs={"slug": world.ne.slug})


def test_the_regional_table_lists_at_risk_and_overdue_support_first_then_by_provider(world, client, approved):
    today = london_date()
    fine_ns, fine_tfc, late, risky = add_offers(world, approved, 4, deliver_by=today + timedelta(days=40))
    Offer.objects.filter(pk=late.pk).update(deliver_by=today - timedelta(days=2))
    Offer.objects.filter(pk=risky.pk).update(delivery_status=D.AT_RISK)
    Offer.objects.filter(pk=fine_ns.pk).update(provider=world.ns)
    Offer.objects.filter(pk=fine_tfc.pk).update(provider=world.tfc)
    leeds = JISPFactory(authority=world.leeds, period="2009-10", status=S.APPROVED, approved_at=timezone.now())
    add_offers(world, leeds, 1)
    client.force_login(world.go_director)
    page = client.get(_region_url(world)).content.decode()
    table = page[page.index('id="delivery-table"') :]
    # at risk (National Strategies) and overdue (Together for Children) first, each group by provider
    order = [table.index(url(o)) for o in (risky, late, fine_ns, fine_tfc)]
    assert order == sorted(order)
    assert "Leeds" not in table
    assert 'id="delivery-counts"' in page


def test_the_regional_csv_has_every_row_and_neutralises_formulas(world, client, approved):
    (offer,) = add_offers(world, approved, 1)
    Offer.objects.filter(pk=offer.pk).update(description='=HYPERLINK("http://evil.example","x")')
    services.report_delivery(actor=world.provider, offer=offer, status=D.ON_TRACK, note="First visit held")
    client.force_login(world.csa)
    response = client.get(_region_url(world, "plans:delivery_region_csv"))
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Region,Authority,Period,Version,Priority,Provider,Offer")
    assert len(lines) == 2
    assert "'=HYPERLINK" in lines[1]
    assert "On track" in lines[1]
    assert "First visit held" in lines[1]


def test_the_regional_table_queries_do_not_grow_with_the_rows(world, client, approved):
    add_offers(world, approved, 2)
    client.force_login(world.csa)
    few = _queries(client, _region_url(world))
    for offer in add_offers(world, approved, 12):
        services.report_delivery(actor=world.csa, offer=offer, status=D.AT_RISK, note="Late")
    assert _queries(client, _region_url(world)) == few


def test_the_national_view_counts_each_region(world, client, approved):
    add_offers(world, approved, 2, delivery_status=D.AT_RISK)
    draft = JISPFactory(authority=world.leeds, period="2010-11", status=S.DRAFT)
    add_offers(world, draft, 3)  # a draft's accepted offers are not being delivered yet
    client.force_login(world.national)
    page = client.get(reverse("plans:delivery_national")).content.decode()
    assert "North East" in page
    assert "Yorkshire and the Humber" not in page
    row = page[page.index("North East") :]
    cells = [c.split("<")[0] for c in row.split('govuk-table__cell--numeric">')[1:8]]
    assert cells == ["0", "0", "2", "0", "0", "0", "2"]


def test_the_analysis_page_links_to_the_delivery_tables(world, client, approved):
    client.force_login(world.go_director)
    page = client.get(reverse("plans:analysis")).content.decode()
    assert _region_url(world) in page
    assert reverse("plans:delivery_national") not in page


def test_the_go_director_dashboard_sums_up_the_region_and_links_to_its_table(world, client, approved):
    add_offers(world, approved, 3, deliver_by=london_date() - timedelta(days=1))
    client.force_login(world.go_director)
    page = client.get(reverse("accounts:dashboard")).content.decode()
    assert "3 accepted offers being delivered" in page
    assert 'govuk-tag--red">3 overdue' in page
    assert "<li>Not started: 3</li>" in page
    assert _region_url(world) in page
    client.force_login(world.go_director_other)
    page = client.get(reverse("accounts:dashboard")).content.decode()
    assert "No approved plan in your region has support to deliver yet." in page


def test_the_plan_history_shows_delivery_status_changes(world, client, approved):
    (offer,) = add_offers(world, approved, 1)
    services.report_delivery(actor=world.provider, offer=offer, status=D.AT_RISK, note="Venue cancelled")
    client.force_login(world.csa)
    page = client.get(reverse("plans:history", kwargs={"pk": approved.pk})).content.decode()
    assert "Delivery status" in page
    assert "At risk" in page


def test_the_offers_list_links_an_approved_offer_to_its_delivery(world, client, approved):
    (offer,) = add_offers(world, approved, 1, delivery_status=D.ON_TRACK)
    client.force_login(world.provider)
    page = client.get(reverse("plans:offer_list")).content.decode()
    assert url(offer) in page
    assert 'app-delivery-tag govuk-tag--blue">On track' in page


def test_the_signed_off_pdf_is_left_as_it_was_signed_off(world, approved):
    from plans.pdf import render_jisp_html

    (offer,) = add_offers(world, approved, 1)
    approved.approved_by = world.dcs
    approved.save()
    before = render_jisp_html(approved)
    approved.pdf_sha256 = "a" * 64
    approved.save()
    services.report_delivery(actor=world.provider, offer=offer, status=D.AT_RISK, note="Venue cancelled")
    assert render_jisp_html(approved) == before
    assert "Venue cancelled" not in before
    assert "At risk" not in before
    approved.refresh_from_db()
    assert approved.pdf_sha256 == "a" * 64
