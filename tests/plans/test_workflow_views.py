"""The workflow pages as a user meets them: confirmation pages, banners, errors that link the open
offers, the PDF status with its htmx poll, comments, compare, the XLSX export and the dashboard."""

from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from plans.models import JISP, Decision, Offer, PlanComment
from plans.tasks import render_jisp_pdf
from tests.matrix.plans_workflow import build_plan
from tests.plans.factories import NeedFactory, OfferFactory, PriorityFactory

S = JISP.Status
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def url(name, jisp):
    return reverse(name, kwargs={"pk": jisp.pk})


def test_each_transition_confirms_then_redirects_to_the_plan_with_a_banner(world, client):
    jisp = build_plan(world, S.DRAFT)
    client.force_login(world.csa)
    page = client.get(url("plans:send_to_authority", jisp)).content.decode()
    assert "Send the plan to the authority for review" in page
    assert "Send to the authority" in page
    response = client.post(url("plans:send_to_authority", jisp), follow=True)
    assert response.redirect_chain[0][0] == jisp.get_absolute_url()
    assert "The plan has been sent to the authority for review" in response.content.decode()
    response = client.post(url("plans:send_for_approval", jisp), follow=True)
    assert "sent to the Director of Children&#x27;s Services for approval" in response.content.decode()

    client.force_login(world.dcs)
    page = client.get(url("plans:approve", jisp)).content.decode()
    assert "Approve version 1 of the plan" in page
    assert "By June 2009, provide 3 days support on the portfolio" in page
    assert "A generic programme that was withdrawn" not in page
    response = client.post(
        url("plans:approve", jisp),
        {"version": 1, "lock_version": JISP.objects.get().lock_version, "confirm": "on"},
        follow=True,
    )
    assert "You have approved version 1 of the plan" in response.content.decode()
    jisp.refresh_from_db()
    assert jisp.status == S.APPROVED

    client.force_login(world.csa)
    response = client.post(url("plans:revise", jisp), follow=True)
    new = JISP.objects.get(version=2)
    assert response.redirect_chain[0][0] == new.get_absolute_url()
    assert "Version 2 has been created in draft" in response.content.decode()


def test_send_for_approval_lists_the_open_offers(world, client):
    jisp = build_plan(
        world,
        S.WITH_AUTHORITY,
        offers=[(world.tfc, Offer.Status.SUBMITTED, "Submitted"), (world.ns, Offer.Status.INVITED, "Invited")],
    )
    client.force_login(world.csa)
    page = client.get(url("plans:send_for_approval", jisp)).content.decode()
    assert "These offers are still open" in page
    response = client.post(url("plans:send_for_approval", jisp))
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "2 offers are still open" in html
    assert "Together for Children offer on" in html
    assert "National Strategies offer on" in html
    jisp.refresh_from_db()
    assert jisp.status == S.WITH_AUTHORITY


def test_approve_needs_the_confirmation_and_the_version_shown(world, client):
    jisp = build_plan(world, S.AWAITING_APPROVAL)
    client.force_login(world.dcs)
    html = client.post(url("plans:approve", jisp), {"version": 1, "lock_version": jisp.lock_version}).content.decode()
    assert "Confirm that you approve this version of the plan" in html
    html = client.post(url("plans:approve", jisp), {"version": 7, "confirm": "on"}).content.decode()
    assert "You confirmed version 7 but this plan is version 1" in html
    jisp.refresh_from_db()
    assert jisp.status == S.AWAITING_APPROVAL
    assert not Decision.objects.exists()


def test_request_changes_needs_comments(world, client):
    jisp = build_plan(world, S.AWAITING_APPROVAL)
    client.force_login(world.dcs)
    html = client.post(url("plans:request_changes", jisp), {"comments": ""}).content.decode()
    assert "Enter the changes you want made to the plan" in html
    response = client.post(url("plans:request_changes", jisp), {"comments": "Add workforce"}, follow=True)
    assert "You have asked for changes" in response.content.decode()
    assert "Add workforce" in client.get(url("plans:workflow", jisp)).content.decode()


def test_wrong_state_pages_say_so_without_a_button(world, client):
    jisp = build_plan(world, S.DRAFT)
    client.force_login(world.csa)
    html = client.get(url("plans:send_for_approval", jisp)).content.decode()
    assert "You cannot do this now: the plan is draft" in html
    assert 'name="submit"' not in html
    response = client.post(url("plans:send_for_approval", jisp))
    assert "You cannot send the plan for approval now" in response.content.decode()


def test_comments_are_added_on_rows_listed_for_the_csa_and_resolved(world, client):
    jisp = build_plan(world, S.WITH_AUTHORITY)
    offer = Offer.objects.get(priority__jisp=jisp, status=Offer.Status.ACCEPTED)
    client.force_login(world.la_officer)
    page = client.get(url("plans:comment_add", jisp) + f"?offer={offer.pk}").content.decode()
    assert f'value="offer-{offer.pk}" selected' in page
    assert "Offer from Together for Children" in page
    assert "Offer from National Strategies" not in page  # withdrawn: nothing to comment on
    html = client.post(url("plans:comment_add", jisp), {"target": "", "body": ""}).content.decode()
    assert "Select what your comment is about" in html
    assert "Enter your comment" in html
    response = client.post(
        url("plans:comment_add", jisp), {"target": f"offer-{offer.pk}", "body": "Make it 5 days"}, follow=True
    )
    assert "Your comment has been added" in response.content.decode()

    client.force_login(world.csa)
    page = client.get(url("plans:workflow", jisp)).content.decode()
    assert "Make it 5 days" in page
    assert "Together for Children offer on" in page
    comment = PlanComment.objects.get()
    page = client.get(url("plans:send_for_approval", jisp)).content.decode()
    assert "The authority has 1 open comment on this plan" in page
    response = client.post(reverse("plans:comment_resolve", kwargs={"pk": comment.pk}), follow=True)
    assert "has been marked as resolved" in response.content.decode()
    assert "There are no open comments" in response.content.decode()


def test_pdf_status_polls_while_being_prepared_then_offers_the_download(world, client):
    jisp = build_plan(world, S.APPROVED)
    client.force_login(world.csa)
    html = client.get(url("plans:pdf_status", jisp)).content.decode()
    assert "being prepared" in html
    assert f'hx-get="{url("plans:pdf_status", jisp)}"' in html
    assert 'hx-trigger="every 4s"' in html
    assert "refresh the page" in html
    render_jisp_pdf.delay(jisp.pk)
    html = client.get(url("plans:pdf_status", jisp)).content.decode()
    assert "hx-get" not in html
    assert url("plans:pdf_download", jisp) in html
    page = client.get(url("plans:workflow", jisp)).content.decode()
    copies = page.split('id="plan-copies">Copied to')[1].split("</p>")[0]
    assert "Sam Okafor (Newcastle upon Tyne)" in copies
    assert "Together for Children" in copies


def test_compare_marks_added_removed_and_changed_rows(world, client):
    old = build_plan(world, S.SUPERSEDED)
    new = build_plan(world, S.DRAFT, version=2)
    PriorityFactory(jisp=old, title="Dropped priority", order=5)
    added = PriorityFactory(jisp=new, title="New priority", order=5)
    NeedFactory(priority=added, description="A new need")
    changed = Offer.objects.get(priority__jisp=new, provider=world.tfc)
    changed.days = 9
    changed.save()
    client.force_login(world.csa)
    response = client.get(reverse("plans:compare", kwargs={"pk": new.pk, "other_pk": old.pk}))
    html = response.content.decode()
    assert "Compare version 1 with version 2" in html
    assert "1 added, 1 removed, 1 changed, 0 unchanged" in html
    assert "New priority" in html
    assert "Dropped priority" in html
    assert ">Added<" in html
    assert ">Removed<" in html
    assert ">Changed<" in html
    assert "Days changed" in html


def test_compare_refuses_plans_of_different_authorities(world, client):
    a = build_plan(world, S.DRAFT)
    b = build_plan(world, S.DRAFT, authority=world.gateshead)
    client.force_login(world.csa)
    assert client.get(reverse("plans:compare", kwargs={"pk": a.pk, "other_pk": b.pk})).status_code == 404


def test_xlsx_export_has_the_header_block_then_the_annex2_table(world, client):
    jisp = build_plan(
        world,
        S.WITH_AUTHORITY,
        offers=[
            (world.tfc, Offer.Status.ACCEPTED, "Accepted support"),
            (world.ns, Offer.Status.INVITED, "Invited draft offer"),
            (world.tfc, Offer.Status.SUBMITTED, '=HYPERLINK("http://evil.example","x")'),
        ],
    )
    client.force_login(world.dcs)
    response = client.get(url("plans:export_xlsx", jisp))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    ws = load_workbook(BytesIO(response.content)).active
    cells = list(ws.iter_rows(values_only=True))
    assert cells[2][:4] == (
        "Local Authority/ Children's Trust",
        "Newcastle upon Tyne",
        "Director of Children's Services",
        "Sam Okafor",
    )
    assert cells[3][:4] == (
        "Government Office",
        "Government Office for the North East",
        "Children's Services Adviser",
        "Chris Adviser",
    )
    header = next(i for i, r in enumerate(cells) if r[0] == "Priority")
    assert cells[header][:4] == ("Priority", "Needs", "Provider", "Offer")
    body = [r for r in cells[header + 1 :] if r[3]]
    # the authority never sees an invited (draft) offer; user text is never a formula
    assert [r[3] for r in body] == ["Accepted support", '=HYPERLINK("http://evil.example","x")']
    formula_cell = next(
        c
        for row in load_workbook(BytesIO(response.content)).active.iter_rows()
        for c in row
        if c.value and str(c.value).startswith("=HYPER")
    )
    assert formula_cell.data_type == "s"
    client.force_login(world.csa)
    ws = load_workbook(BytesIO(client.get(url("plans:export_xlsx", jisp)).content)).active
    offers = [r[3] for r in ws.iter_rows(values_only=True) if r[3] in ("Accepted support", "Invited draft offer")]
    assert offers == ["Accepted support", "Invited draft offer"]


def test_xlsx_of_a_draft_totals_only_the_accepted_offers_as_the_page_does(world, client):
    jisp = build_plan(
        world,
        S.DRAFT,
        offers=[
            (world.tfc, Offer.Status.ACCEPTED, "Accepted support"),
            (world.ns, Offer.Status.SUBMITTED, "Submitted, not yet accepted"),
            (world.tfc, Offer.Status.CHALLENGED, "Challenged offer"),
        ],
    )
    client.force_login(world.csa)
    cells = list(load_workbook(BytesIO(client.get(url("plans:export_xlsx", jisp)).content)).active.values)
    start = next(i for i, r in enumerate(cells) if r[0] == "Totals by provider")
    assert [r[2:6] for r in cells[start + 1 :]] == [
        ("Together for Children", None, 3.0, 1500.0),
        (None, None, 3.0, 1500.0),
    ]
    page = client.get(jisp.get_absolute_url()).content.decode()
    assert "£1,500.00" in page
    assert "£4,500.00" not in page


def test_dashboard_panels(world, client):
    awaiting = build_plan(world, S.AWAITING_APPROVAL)
    commented = build_plan(world, S.WITH_AUTHORITY, period="2010-11")
    PlanComment.objects.create(jisp=commented, author=world.dcs, body="Question")
    client.force_login(world.dcs)
    html = client.get("/").content.decode()
    assert "Plans awaiting your approval" in html
    assert url("plans:approve", awaiting) in html
    client.force_login(world.csa)
    html = client.get("/").content.decode()
    assert "Plans with comments or changes requested" in html
    assert "1 open comment" in html
    client.force_login(world.go_director)
    html = client.get("/").content.decode()
    assert "Plans in North East by status" in html
    assert "Awaiting approval" in html


def _queries(client, path):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx)


def test_query_counts_stay_constant_as_rows_grow(world, client):
    small = build_plan(world, S.WITH_AUTHORITY)
    large = build_plan(world, S.WITH_AUTHORITY, period="2010-11")
    PlanComment.objects.create(jisp=small, author=world.dcs, body="one")
    for i in range(12):
        p = PriorityFactory(jisp=large, title=f"P{i}", order=i + 2)
        NeedFactory(priority=p)
        OfferFactory(priority=p, provider=world.tfc, status=Offer.Status.ACCEPTED, description=f"Offer {i}")
        PlanComment.objects.create(jisp=large, author=world.dcs, body=f"c{i}", priority=p)
        Decision.objects.create(jisp=large, decided_by=world.dcs, outcome="changes_requested", comments=f"d{i}")
    client.force_login(world.csa)
    for name in ("plans:workflow", "plans:export_xlsx", "plans:send_for_approval"):
        assert _queries(client, url(name, small)) == _queries(client, url(name, large)), name
    client.force_login(world.dcs)
    assert _queries(client, url("plans:comment_add", small)) == _queries(client, url("plans:comment_add", large))


def test_the_annex2_includes_render_with_the_plan_and_the_user_only(world):
    from django.template.loader import render_to_string

    jisp = build_plan(world, S.WITH_AUTHORITY)
    PlanComment.objects.create(jisp=jisp, author=world.dcs, body="Is 3 days enough?")
    actions = render_to_string("plans/includes/plan_actions.html", {"jisp": jisp, "user": world.csa})
    assert "Send for approval" in actions
    assert "Return to draft" in actions
    assert url("plans:send_for_approval", jisp) in actions
    panel = render_to_string("plans/includes/plan_workflow_panel.html", {"jisp": jisp, "user": world.csa})
    assert "Is 3 days enough?" in panel
    assert "Resolve" in panel
    officer = render_to_string("plans/includes/plan_actions.html", {"jisp": jisp, "user": world.la_officer})
    assert "Comment on the plan" in officer
    assert "Send for approval" not in officer
    provider = render_to_string("plans/includes/plan_workflow_panel.html", {"jisp": jisp, "user": world.provider})
    assert "Is 3 days enough?" not in provider


def test_the_approved_plan_page_reads_its_copies_in_one_query(world, client, settings, tmp_path):
    from django.core.files.base import ContentFile

    from plans.models import PlanCopy
    from tests.accounts.factories import UserFactory

    settings.MEDIA_ROOT = tmp_path
    plans = []
    for period in ("2009-10", "2010-11"):
        jisp = build_plan(world, S.APPROVED, period=period)
        jisp.pdf.save(f"jisp-{period}.pdf", ContentFile(b"%PDF-1.4"), save=True)
        plans.append(jisp)
    PlanCopy.objects.create(jisp=plans[0], recipient=world.dcs, email=world.dcs.email)
    for i in range(8):
        adviser = UserFactory(role="provider_adviser", provider=world.tfc, full_name=f"Adviser {i}")
        PlanCopy.objects.create(jisp=plans[1], recipient=adviser, email=adviser.email, organisation="TfC")
    client.force_login(world.csa)
    assert _queries(client, url("plans:detail", plans[0])) == _queries(client, url("plans:detail", plans[1]))
    assert "Adviser 7 (TfC)" in client.get(url("plans:detail", plans[1])).content.decode()
