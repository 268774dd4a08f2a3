"""In-year change through the pages: what each person sees of change requests, varied and withdrawn
offers, the authority's "not tailored" mark, the notes of a row and the authority's own support."""

from decimal import Decimal

import pytest
from django.urls import reverse

from plans import services
from plans.models import JISP, ChangeRequest, Offer, OwnSupport, Priority
from plans.pdf import render_jisp_html
from tests.matrix.plans_workflow import build_plan

S = JISP.Status
O = Offer.Status  # noqa: E741
pytestmark = pytest.mark.django_db


def text(response):
    return response.content.decode()


def test_the_dcs_asks_for_a_change_and_sees_it_on_the_dashboard(world, client):
    jisp = build_plan(world, S.APPROVED)
    client.force_login(world.dcs)
    page = text(client.get(jisp.get_absolute_url()))
    assert "Ask for an in-year change" in page
    response = client.post(reverse("plans:change_request_add", kwargs={"pk": jisp.pk}), {"body": ""})
    assert 'href="#id_body"' in text(response)  # the error summary links to the field
    response = client.post(
        reverse("plans:change_request_add", kwargs={"pk": jisp.pk}), {"body": "Move the review"}, follow=True
    )
    assert "Your change request has been sent to your Children&#x27;s Services Adviser" in text(response)
    dashboard = text(client.get(reverse("accounts:dashboard")))
    assert "Your change requests" in dashboard
    assert "Move the review" in dashboard


def test_the_csa_sees_open_requests_on_the_dashboard_and_the_buttons(world, client):
    jisp = build_plan(world, S.APPROVED)
    request = services.raise_change_request(actor=world.dcs, jisp=jisp, body="Add a day for the board")
    client.force_login(world.csa)
    dashboard = text(client.get(reverse("accounts:dashboard")))
    assert "Change requests to answer" in dashboard
    assert request.get_absolute_url() in dashboard
    page = text(client.get(request.get_absolute_url()))
    assert "Start a revision" in page
    assert "Decline" in page
    client.force_login(world.dcs)
    page = text(client.get(request.get_absolute_url()))
    assert "Start a revision" not in page


def test_the_revision_shows_the_request_and_the_varied_offer_shows_the_old_text(world, client):
    jisp = build_plan(world, S.APPROVED)
    request = services.raise_change_request(actor=world.dcs, jisp=jisp, body="Add a day for the board")
    new = services.start_revision(actor=world.csa, change_request=request)
    client.force_login(world.csa)
    page = text(client.get(new.get_absolute_url()))
    assert "this version makes the change" in page
    assert "Ask for a variation" in page
    offer = Offer.objects.get(priority__jisp=new, status=O.ACCEPTED)
    services.vary_offer(actor=world.csa, offer=offer, reason="One more day")
    client.force_login(world.provider)
    page = text(client.get(offer.get_absolute_url()))
    assert 'id="varied-from"' in page
    assert "By June 2009, provide 3 days support on the portfolio" in page
    assert "One more day" in page


def test_the_compare_view_shows_the_withdrawal_reason(world, client):
    old = build_plan(world, S.APPROVED)
    new = services.revise(actor=world.csa, jisp=old)
    offer = Offer.objects.get(priority__jisp=new, status=O.ACCEPTED)
    services.withdraw_accepted_offer(actor=world.csa, offer=offer, reason="The authority delivers it itself")
    client.force_login(world.dcs)
    page = text(client.get(reverse("plans:compare", kwargs={"pk": old.pk, "other_pk": new.pk})))
    assert "Withdrawn" in page
    assert "Reason: The authority delivers it itself" in page


def test_the_not_tailored_mark_shows_on_the_annex2_page_and_the_offer(world, client):
    jisp = build_plan(world, S.WITH_AUTHORITY, offers=[(world.tfc, O.SUBMITTED, "A generic programme")])
    offer = Offer.objects.get(priority__jisp=jisp)
    client.force_login(world.dcs)
    assert "Mark as not tailored" in text(client.get(offer.get_absolute_url()))
    services.flag_offer_not_tailored(actor=world.dcs, offer=offer, reason="Same as everywhere else")
    client.force_login(world.csa)
    for url in (jisp.get_absolute_url(), offer.get_absolute_url()):
        page = text(client.get(url))
        assert "Not tailored, says the authority" in page
        assert "Same as everywhere else" in page
    # the challenge starts from the authority's reason; once challenged, the mark is gone
    page = text(client.get(reverse("plans:offer_challenge", kwargs={"pk": offer.pk})))
    assert "Same as everywhere else</textarea>" in page
    services.challenge_offer(actor=world.csa, offer=offer, reason="Same as everywhere else")
    assert "Not tailored, says the authority" not in text(client.get(jisp.get_absolute_url()))


def test_row_notes_are_in_the_notes_column_and_provider_notes_on_the_offer(world, client):
    jisp = build_plan(world, S.DRAFT)
    Offer.objects.filter(priority__jisp=jisp).update(notes="Visits on Tuesdays")
    priority = Priority.objects.get(jisp=jisp)
    client.force_login(world.la_officer)
    response = client.post(
        reverse("plans:priority_notes", kwargs={"pk": priority.pk}),
        {"notes": "Links to the CAMHS review", "lock_version": priority.lock_version},
        follow=True,
    )
    assert "The notes have been saved" in text(response)
    client.force_login(world.csa)
    page = text(client.get(jisp.get_absolute_url()))
    assert "Links to the CAMHS review" in page
    assert "Provider's notes: Visits on Tuesdays" in page
    # a stale save keeps what was typed and says so
    response = client.post(
        reverse("plans:priority_notes", kwargs={"pk": priority.pk}), {"notes": "Mine", "lock_version": 0}
    )
    assert response.status_code == 200
    assert "Mine" in text(response)
    priority.refresh_from_db()
    assert priority.notes == "Links to the CAMHS review"


def test_own_support_is_on_the_page_and_in_the_pdf(world, client):
    jisp = build_plan(world, S.AWAITING_APPROVAL)
    client.force_login(world.dcs)
    response = client.post(
        reverse("plans:own_support_add", kwargs={"pk": jisp.pk}),
        {"source": "c4eo", "description": "C4EO local support on early intervention", "cost": "1200"},
        follow=True,
    )
    assert "The authority&#x27;s own support has been recorded" in text(response)
    assert OwnSupport.objects.get(jisp=jisp).cost == Decimal("1200.00")
    page = text(client.get(jisp.get_absolute_url()))
    assert "C4EO local support on early intervention" in page
    services.approve(actor=world.dcs, jisp=jisp, version=1)
    jisp.refresh_from_db()
    html = render_jisp_html(jisp)
    assert "Support the authority takes up itself" in html
    assert "C4EO local support on early intervention" in html
    assert "£1,200.00" in html


def test_an_approved_plan_offers_no_removal_of_its_deployment_plans(world, client):
    from django.core.files.base import ContentFile

    from plans.models import DeploymentPlan

    jisp = build_plan(world, S.APPROVED)
    plan = DeploymentPlan(
        jisp=jisp, provider=world.tfc, original_name="tfc.pdf", content_type="application/pdf", uploaded_by=world.csa
    )
    plan.file.save("tfc-approved.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    plan.save()
    client.force_login(world.csa)
    page = text(client.get(jisp.get_absolute_url()))
    assert "tfc.pdf" in page
    assert reverse("plans:deployment_plan_remove", kwargs={"pk": plan.pk}) not in page
    response = client.post(reverse("plans:deployment_plan_remove", kwargs={"pk": plan.pk}))
    assert response.status_code == 200
    assert DeploymentPlan.objects.filter(pk=plan.pk).exists()


def test_requests_are_not_found_by_providers_or_other_authorities(world, client):
    jisp = build_plan(world, S.APPROVED)
    request = services.raise_change_request(actor=world.dcs, jisp=jisp, body="x")
    for role in ("provider", "national", "dcs_other", "csa_other"):
        client.force_login(world.users[role])
        assert client.get(request.get_absolute_url()).status_code == 404
    assert ChangeRequest.objects.count() == 1
