"""The drafting pages as a user meets them: the plans list, starting a plan, the Annex 2 page (its
content, what each role may do, its query count as rows grow), editing with and without htmx, the
stale-save refusal, uploads and downloads, and the history."""

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from authorities.models import NationalIndicator
from plans.models import JISP, DeploymentPlan, Need, Offer, Priority
from plans.services import drafting as services
from tests.authorities.factories import NationalIndicatorFactory
from tests.matrix.plans_workflow import build_plan
from tests.plans.factories import JISPFactory, NeedFactory, OfferFactory, PriorityFactory

S = JISP.Status
pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n% a deployment plan\n"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def url(name, obj):
    return reverse(name, kwargs={"pk": obj.pk})


def example_plan(world, status=S.DRAFT):
    """The guidance's two examples as a plan."""
    jisp = JISPFactory(authority=world.newcastle, period="2010-11", status=status, csa=world.csa)
    ni112 = NationalIndicatorFactory(number=112, title="Under 18 conception rate")
    ni109 = NationalIndicatorFactory(number=109, title="Delivery of Sure Start Children's Centres")
    tp = PriorityFactory(jisp=jisp, order=1, title="Reduce teenage pregnancy")
    tp.indicators.set([ni112])
    need = NeedFactory(priority=tp, description="Develop a sexual health policy for young people")
    cc = PriorityFactory(jisp=jisp, order=2, title="Children's centres reach the most disadvantaged families")
    cc.indicators.set([ni109])
    NeedFactory(priority=cc, description="Improve outreach", from_workforce_tool=True, proposed_by_authority=True)
    rtpc = world.ns  # any provider will do for the table
    OfferFactory(
        priority=tp,
        need=need,
        provider=rtpc,
        status=Offer.Status.SUBMITTED,
        description="By May 2009, conduct 2 visits to help develop a new sexual health policy for young people",
        days=Decimal("2"),
        funding=Decimal("1500"),
        deliver_by="2009-05-31",
        submitted_at=timezone.now(),
    )
    OfferFactory(
        priority=cc,
        provider=world.tfc,
        status=Offer.Status.ACCEPTED,
        description="By June 2009, provide 3 days support in re-evaluating children's centre portfolio",
        days=Decimal("3"),
        funding=Decimal("250.50"),
        submitted_at=timezone.now(),
    )
    OfferFactory(priority=cc, provider=world.tfc, status=Offer.Status.INVITED, description="Draft, not yet sent")
    return jisp


# --- the Annex 2 page -----------------------------------------------------------------------------


def test_annex2_page_reads_like_the_template(world, client):
    jisp = example_plan(world)
    client.force_login(world.csa)
    page = client.get(jisp.get_absolute_url()).content.decode()
    for text in (
        "Local Authority/ Children's Trust",
        "Newcastle upon Tyne",
        "Director of Children's Services",
        "Sam Okafor",
        "Government Office",
        "Children's Services Adviser",
        "Chris Adviser",
        "2010-11",
        'govuk-tag--grey">Draft',
        "Improvement Support",
        "NI 112 Under 18 conception rate",
        "NI 109 Delivery of Sure Start Children&#x27;s Centres",
        "Develop a sexual health policy for young people",
        "One Children's Workforce Tool",
        "Proposed by the authority",
        "By May 2009, conduct 2 visits",
        "Deliver by 31 May 2009",
        "2 days",
        "£1,500.00",
        "Resources by provider",
    ):
        assert text in page, text
    totals = page.split('id="totals"', 1)[1].split("</table>", 1)[0]
    # accepted offers only: Together for Children's 3 days and £250.50, not the submitted £1,500
    assert "Together for Children" in totals
    assert "National Strategies" not in totals
    assert "£250.50" in totals
    assert "£1,750.50" not in totals
    assert "£1,500.00" not in totals
    for header in ("Priority", "Needs", "Provider", "Offer", "Resources", "Notes"):
        assert f'<th scope="col" class="govuk-table__header">{header}</th>' in page or f">{header}</th>" in page
    assert page.index("Reduce teenage pregnancy") < page.index("Children&#x27;s centres reach")
    assert 'id="workflow-panel-heading"' in page  # plan_workflow_panel.html
    assert "Send to the authority for review" in page  # plan_actions.html
    assert "Add a priority" in page
    assert "css/annex2.css" in page


def test_the_authority_never_sees_a_draft_invitation_and_may_propose_needs(world, client):
    jisp = example_plan(world)
    client.force_login(world.dcs)
    page = client.get(jisp.get_absolute_url()).content.decode()
    assert "Draft, not yet sent" not in page
    assert "By May 2009" in page
    assert "Propose a need" in page
    assert "Add a priority" not in page
    assert reverse("plans:priority_edit", kwargs={"pk": 1}) not in page


def test_the_approved_plan_shows_accepted_offers_to_providers_in_it(world, client):
    jisp = build_plan(world, S.APPROVED)
    client.force_login(world.provider)
    page = client.get(jisp.get_absolute_url()).content.decode()
    assert "By June 2009, provide 3 days support on the portfolio" in page
    assert "withdrawn" not in page.lower() or "A generic programme" not in page
    assert "Propose a need" not in page
    assert "History of this plan" not in page


def test_comment_links_per_row_while_with_the_authority(world, client):
    jisp = example_plan(world, S.WITH_AUTHORITY)
    priority = jisp.priorities.order_by("order").first()
    need = priority.needs.first()
    offer = priority.offers.first()
    client.force_login(world.la_officer)
    page = client.get(jisp.get_absolute_url()).content.decode()
    base = reverse("plans:comment_add", kwargs={"pk": jisp.pk})
    for query in (f"priority={priority.pk}", f"need={need.pk}", f"offer={offer.pk}"):
        assert f"{base}?{query}" in page
    client.force_login(world.csa)
    assert base + "?priority" not in client.get(jisp.get_absolute_url()).content.decode()


def _queries(client, path):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx)


def _grow(jisp, world, n):
    ni = NationalIndicatorFactory(number=112)
    for i in range(n):
        p = PriorityFactory(jisp=jisp, order=i + 10, title=f"Priority {i}")
        p.indicators.set([ni])
        NeedFactory(priority=p)
        OfferFactory(priority=p, provider=world.tfc if i % 2 else world.ns, status=Offer.Status.SUBMITTED, days=1)


@pytest.mark.parametrize("role", ["csa", "dcs"])
def test_annex2_query_count_is_constant_as_priorities_grow(world, client, role):
    small = JISPFactory(authority=world.newcastle, period="2010-11", csa=world.csa)
    large = JISPFactory(authority=world.newcastle, period="2011-12", csa=world.csa)
    _grow(small, world, 5)
    _grow(large, world, 50)
    client.force_login(world.users[role])
    assert _queries(client, small.get_absolute_url()) == _queries(client, large.get_absolute_url())


def test_plans_list_query_count_is_constant(world, client):
    client.force_login(world.csa)
    JISPFactory(authority=world.newcastle, period="2010-11")
    few = _queries(client, reverse("plans:list"))
    for year in range(2000, 2020):
        JISPFactory(authority=world.gateshead, period=f"{year}-{(year + 1) % 100:02d}")
    assert _queries(client, reverse("plans:list")) == few


# --- the plans list -------------------------------------------------------------------------------


def test_plans_list_is_scoped_filtered_and_paginated(world, client):
    mine = JISPFactory(authority=world.newcastle, period="2010-11", status=S.DRAFT)
    JISPFactory(authority=world.leeds, period="2010-11", status=S.DRAFT)
    approved = build_plan(world, S.APPROVED)
    client.force_login(world.csa)
    page = client.get(reverse("plans:list")).content.decode()
    assert "Newcastle upon Tyne" in page
    assert "Leeds" not in page
    page = client.get(reverse("plans:list"), {"status": "approved"}).content.decode()
    assert "1 plan matches your filters" in page
    assert url("plans:detail", approved) in page
    assert url("plans:detail", mine) not in page
    page = client.get(reverse("plans:list"), {"provider": world.tfc.pk}).content.decode()
    assert url("plans:detail", approved) in page
    assert url("plans:detail", mine) not in page
    client.force_login(world.national)
    page = client.get(reverse("plans:list")).content.decode()
    assert url("plans:detail", approved) in page
    assert url("plans:detail", mine) not in page
    for year in range(1980, 2010):
        JISPFactory(authority=world.gateshead, period=f"{year}-{(year + 1) % 100:02d}")
    client.force_login(world.csa)
    page = client.get(reverse("plans:list")).content.decode()
    assert "Page 1 of 2" in page
    assert "Page 2 of 2" in client.get(reverse("plans:list"), {"page": 2}).content.decode()


def test_start_a_plan_and_the_refusal_that_links_the_existing_one(world, client):
    client.force_login(world.csa)
    assert "Start a plan" in client.get(reverse("plans:list")).content.decode()
    response = client.post(reverse("plans:create"), {"authority": world.newcastle.pk, "period": "2010-11"})
    jisp = JISP.objects.get()
    assert response["Location"] == jisp.get_absolute_url()
    response = client.post(reverse("plans:create"), {"authority": world.newcastle.pk, "period": "2010-11"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "already has a plan for 2010-11" in html
    assert jisp.get_absolute_url() in html
    assert JISP.objects.count() == 1
    response = client.post(reverse("plans:create"), {"authority": world.leeds.pk, "period": "2010-11"})
    assert "Select the local authority" in response.content.decode()  # not an authority this CSA leads


# --- editing --------------------------------------------------------------------------------------


def test_add_priority_without_javascript(world, client):
    jisp = JISPFactory(authority=world.newcastle, csa=world.csa)
    NationalIndicatorFactory(number=112, title="Under 18 conception rate")
    NationalIndicatorFactory(number=109, title="Delivery of Sure Start Children's Centres")
    client.force_login(world.csa)
    assert 'name="title"' in client.get(url("plans:priority_add", jisp)).content.decode()
    response = client.post(
        url("plans:priority_add", jisp),
        {"title": "Reduce teenage pregnancy", "indicators": ["112", "109"], "is_workforce": ""},
    )
    priority = Priority.objects.get()
    assert response["Location"] == f"{jisp.get_absolute_url()}#priority-{priority.pk}"
    assert [ni.number for ni in priority.indicators.all()] == [109, 112]
    page = client.get(response["Location"]).content.decode()
    assert "NI 109 Delivery of Sure Start Children&#x27;s Centres" in page
    assert "NI 112 Under 18 conception rate" in page


# --- the National Indicator picker: a plain multiple select, enhanced by static/js/ni-picker.mjs ---


def test_the_indicator_select_offers_the_whole_set_grouped_by_outcome(world, client):
    from authorities.reference import load_national_indicators

    load_national_indicators()
    jisp = JISPFactory(authority=world.newcastle, csa=world.csa)
    client.force_login(world.csa)
    html = client.get(url("plans:priority_add", jisp)).content.decode()
    select = re.search(r"<select [^>]*name=\"indicators\"[^>]*>(.*?)</select>", html, re.S)
    assert select
    assert " multiple" in select.group(0)
    assert 'data-module="app-ni-picker"' in select.group(0)
    assert 'aria-describedby="id_indicators_hint"' in select.group(0)
    assert '<label for="id_indicators" class="govuk-label">' in html
    assert 'id="id_indicators_hint"' in html
    groups = re.findall(r'<optgroup label="([^"]+)">', select.group(1))
    assert groups == [
        "Be healthy",
        "Stay safe",
        "Enjoy and achieve",
        "Make a positive contribution",
        "Achieve economic well-being",
    ]
    assert len(re.findall("<option ", select.group(1))) == 76
    assert '<option value="112">NI 112 Under 18 conception rate</option>' in select.group(1)


def test_an_unknown_indicator_is_refused_by_name_and_the_choices_stay(world, client):
    jisp = JISPFactory(authority=world.newcastle, csa=world.csa)
    NationalIndicatorFactory(number=112, title="Under 18 conception rate")
    client.force_login(world.csa)
    response = client.post(url("plans:priority_add", jisp), {"title": "", "indicators": ["112", "999", "1000"]})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert '<a href="#id_indicators">There is no National Indicator 999, 1000 in the National Indicator Set</a>' in html
    assert '<a href="#id_title">Enter the priority</a>' in html
    assert 'aria-describedby="id_indicators_hint id_indicators_1_error"' in html
    assert '<option value="112" selected>NI 112 Under 18 conception rate</option>' in html
    response = client.post(url("plans:priority_add", jisp), {"title": "A priority", "indicators": ["NI 112; drop"]})
    assert "Select National Indicators from the list" in response.content.decode()
    assert not Priority.objects.exists()


def test_indicators_chosen_inline_with_htmx(world, client):
    priority = PriorityFactory(jisp=JISPFactory(authority=world.newcastle, csa=world.csa), title="Inline")
    NationalIndicatorFactory(number=112, title="Under 18 conception rate")
    NationalIndicatorFactory(number=109, title="Delivery of Sure Start Children's Centres")
    priority.indicators.set(NationalIndicator.objects.filter(number=112))
    client.force_login(world.csa)
    form = client.get(url("plans:priority_edit", priority), **HTMX).content.decode()
    assert '<option value="112" selected>' in form
    assert '<option value="109">' in form
    row = client.post(
        url("plans:priority_edit", priority), {"title": "Inline", "indicators": ["109"], "lock_version": 0}, **HTMX
    ).content.decode()
    assert "NI 109 Delivery of Sure Start" in row
    assert "NI 112" not in row
    assert [ni.number for ni in priority.indicators.all()] == [109]
    row = client.post(url("plans:priority_edit", priority), {"title": "Inline", "lock_version": 1}, **HTMX)
    assert "NI 109" not in row.content.decode()
    assert not priority.indicators.exists()


def test_add_and_edit_priority_inline_with_htmx(world, client):
    jisp = JISPFactory(authority=world.newcastle, csa=world.csa)
    client.force_login(world.csa)
    form = client.get(url("plans:priority_add", jisp), **HTMX).content.decode()
    assert form.lstrip().startswith("<tbody")
    assert 'id="new-priority"' in form
    assert 'hx-post="' in form
    assert "<html" not in form
    row = client.post(url("plans:priority_add", jisp), {"title": "Inline priority"}, **HTMX).content.decode()
    priority = Priority.objects.get()
    assert f'id="priority-{priority.pk}"' in row
    assert "Inline priority" in row
    assert 'id="new-priority"' in row
    assert "<html" not in row
    edit = client.get(url("plans:priority_edit", priority), **HTMX).content.decode()
    assert f'id="priority-{priority.pk}"' in edit
    assert 'value="Inline priority"' in edit
    row = client.post(
        url("plans:priority_edit", priority), {"title": "Renamed", "lock_version": 0}, **HTMX
    ).content.decode()
    assert "Renamed" in row
    assert 'id="new-priority"' not in row
    error = client.post(url("plans:priority_edit", priority), {"title": "", "lock_version": 1}, **HTMX).content.decode()
    assert "Enter the priority" in error
    assert "<html" not in error


def test_stale_priority_save_is_refused_naming_who_and_keeping_the_text(world, client):
    priority = PriorityFactory(jisp=JISPFactory(authority=world.newcastle, csa=world.csa), title="Original")
    ni112 = NationalIndicatorFactory(number=112, title="Under 18 conception rate")
    NationalIndicatorFactory(number=109, title="Delivery of Sure Start Children's Centres")
    services.edit_priority(
        actor=world.csa, priority=priority, lock_version=0, title="Changed by someone", indicators=[ni112]
    )
    client.force_login(world.csa)
    mine = {"title": "My careful wording", "indicators": ["109"], "lock_version": 0}
    response = client.post(url("plans:priority_edit", priority), mine)
    html = response.content.decode()
    assert response.status_code == 200
    assert "This was changed by Chris Adviser" in html
    assert "Nothing was saved" in html
    assert 'value="My careful wording"' in html  # the user's text stays
    assert '<option value="109" selected>' in html
    assert '<option value="112">' in html
    assert "Changed by someone" in html
    assert "NI 112 Under 18 conception rate" in html
    assert 'name="lock_version" value="1"' in html  # a second save goes through
    priority.refresh_from_db()
    assert priority.title == "Changed by someone"
    client.post(url("plans:priority_edit", priority), {**mine, "lock_version": 1})
    priority.refresh_from_db()
    assert priority.title == "My careful wording"
    assert [ni.number for ni in priority.indicators.all()] == [109]


def test_stale_inline_priority_save_keeps_the_chosen_indicators(world, client):
    priority = PriorityFactory(jisp=JISPFactory(authority=world.newcastle, csa=world.csa), title="Original")
    NationalIndicatorFactory(number=112, title="Under 18 conception rate")
    services.edit_priority(actor=world.csa, priority=priority, lock_version=0, title="Theirs")
    client.force_login(world.csa)
    response = client.post(
        url("plans:priority_edit", priority), {"title": "Mine", "indicators": ["112"], "lock_version": 0}, **HTMX
    )
    html = response.content.decode()
    assert "<html" not in html
    assert "Nothing was saved" in html
    assert 'data-module="app-ni-picker"' in html
    assert '<option value="112" selected>' in html
    assert not priority.indicators.exists()


def test_stale_need_save_is_refused_with_htmx_into_the_form_slot(world, client):
    need = NeedFactory(priority=PriorityFactory(jisp=JISPFactory(authority=world.newcastle, csa=world.csa)))
    services.edit_need(actor=world.csa, need=need, lock_version=0, description="Theirs")
    client.force_login(world.csa)
    response = client.post(url("plans:need_edit", need), {"description": "Mine", "lock_version": 0}, **HTMX)
    html = response.content.decode()
    assert "Nothing was saved" in html
    assert ">\nMine</textarea>" in html
    assert "Theirs" in html
    assert response["HX-Retarget"] == f"#need-slot-{need.priority_id}"


def test_the_officer_proposes_a_need_and_it_is_marked(world, client):
    priority = PriorityFactory(jisp=JISPFactory(authority=world.newcastle, csa=world.csa, status=S.WITH_AUTHORITY))
    client.force_login(world.la_officer)
    page = client.get(url("plans:need_add", priority)).content.decode()
    assert "Propose a need" in page
    row = client.post(url("plans:need_add", priority), {"description": "Outreach"}, **HTMX).content.decode()
    assert "Outreach" in row
    assert "Proposed by the authority" in row
    assert Need.objects.get().proposed_by == world.la_officer


def test_edit_pages_refuse_once_the_plan_is_awaiting_approval(world, client):
    jisp = JISPFactory(authority=world.newcastle, csa=world.csa, status=S.AWAITING_APPROVAL)
    priority = PriorityFactory(jisp=jisp, title="Kept")
    client.force_login(world.csa)
    page = client.get(url("plans:priority_edit", priority)).content.decode()
    assert "You cannot do this now: the plan is awaiting approval" in page
    assert 'name="title"' not in page
    response = client.post(url("plans:priority_edit", priority), {"title": "Changed", "lock_version": 0})
    assert "cannot change this priority now" in response.content.decode()
    priority.refresh_from_db()
    assert priority.title == "Kept"
    assert "Add a priority" not in client.get(jisp.get_absolute_url()).content.decode()


def test_move_and_remove_priority(world, client):
    jisp = JISPFactory(authority=world.newcastle, csa=world.csa)
    a = PriorityFactory(jisp=jisp, order=1, title="A")
    PriorityFactory(jisp=jisp, order=2, title="B")
    client.force_login(world.csa)
    page = client.get(jisp.get_absolute_url()).content.decode()
    assert "Move down" in page
    assert page.count("Move up") == 1
    client.post(url("plans:priority_move", a), {"direction": "down"})
    assert list(jisp.priorities.order_by("order").values_list("title", flat=True)) == ["B", "A"]
    response = client.post(url("plans:priority_remove", a), follow=True)
    assert "The priority “A” has been removed" in response.content.decode()
    assert list(jisp.priorities.values_list("title", flat=True)) == ["B"]


# --- deployment plans -----------------------------------------------------------------------------


def test_upload_download_and_refusals(world, client):
    jisp = JISPFactory(authority=world.newcastle, csa=world.csa)
    client.force_login(world.csa)
    response = client.post(
        url("plans:deployment_plan_upload", jisp),
        {"provider": world.ns.pk, "file": SimpleUploadedFile("setup.pdf", b"MZ\x90\x00 an executable")},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "The selected file must be a PDF, DOCX or XLSX" in html
    assert 'href="#id_file"' in html  # the error summary links the field
    response = client.post(
        url("plans:deployment_plan_upload", jisp),
        {"provider": world.ns.pk, "file": SimpleUploadedFile("NS deployment.pdf", PDF)},
    )
    plan = DeploymentPlan.objects.get()
    assert response["Location"].endswith("#deployment-plans")
    page = client.get(jisp.get_absolute_url()).content.decode()
    assert "NS deployment.pdf" in page
    assert url("plans:deployment_plan_download", plan) in page
    download = client.get(url("plans:deployment_plan_download", plan))
    assert download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]
    assert "NS deployment.pdf" in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == PDF
    client.force_login(world.dcs_other)
    assert client.get(url("plans:deployment_plan_download", plan)).status_code == 404


# --- history --------------------------------------------------------------------------------------


def test_history_lists_who_changed_what_field_by_field(world, client):
    jisp = services.create_jisp(actor=world.csa, authority=world.newcastle, period="2010-11")
    priority = services.add_priority(actor=world.csa, jisp=jisp, title="First wording")
    services.edit_priority(actor=world.csa, priority=priority, lock_version=0, title="Second wording")
    services.propose_need(actor=world.dcs, priority=priority, description="Outreach")
    OfferFactory(priority=priority, provider=world.tfc, status=Offer.Status.INVITED, description="Secret draft")
    client.force_login(world.go_director)
    page = client.get(url("plans:history", jisp)).content.decode()
    assert "Chris Adviser" in page
    assert "Sam Okafor" in page
    assert "<del>First wording</del>" in page
    assert "<ins>Second wording</ins>" in page
    assert "Plan started" in page
    assert "Outreach" in page
    assert "Together for Children offer" in page
    client.force_login(world.dcs)
    page = client.get(url("plans:history", jisp)).content.decode()
    assert "Second wording" in page
    assert "Together for Children offer" not in page


# --- the dashboard --------------------------------------------------------------------------------


def test_dashboards_list_the_current_plans_of_ones_own_authorities(world, client):
    old = JISPFactory(authority=world.newcastle, period="2009-10", status=S.SUPERSEDED, csa=world.csa)
    current = JISPFactory(authority=world.newcastle, period="2010-11", status=S.WITH_AUTHORITY, csa=world.csa)
    leeds = JISPFactory(authority=world.leeds, period="2010-11", status=S.DRAFT)
    client.force_login(world.csa)
    page = client.get(reverse("accounts:dashboard")).content.decode()
    assert "Your plans" in page
    assert url("plans:detail", current) in page
    assert "With authority" in page
    assert url("plans:detail", old) not in page
    assert url("plans:detail", leeds) not in page
    assert reverse("plans:create") in page
    client.force_login(world.dcs)
    page = client.get(reverse("accounts:dashboard")).content.decode()
    assert "Your authority&#x27;s plans" in page
    assert url("plans:detail", current) in page
    assert reverse("plans:create") not in page


def test_the_dashboard_plans_panel_is_one_query_however_many_plans(world, client):
    client.force_login(world.csa)
    JISPFactory(authority=world.newcastle, period="2010-11", csa=world.csa)
    few = _queries(client, reverse("accounts:dashboard"))
    for year in range(1990, 2010):
        JISPFactory(authority=world.gateshead, period=f"{year}-{(year + 1) % 100:02d}", csa=world.csa)
    page = client.get(reverse("accounts:dashboard")).content.decode()
    assert "See all plans" in page
    assert _queries(client, reverse("accounts:dashboard")) == few


# --- the approved plan's table is cached ----------------------------------------------------------


def test_an_approved_plans_table_is_rendered_once_for_everyone(world, client):
    approved = build_plan(world, S.APPROVED)
    client.force_login(world.csa)
    first = client.get(approved.get_absolute_url()).content.decode()
    with CaptureQueriesContext(connection) as cached:
        again = client.get(approved.get_absolute_url()).content.decode()
    assert _table(again) == _table(first)
    assert "Accepted" in _table(first)
    assert not any(
        q["sql"].startswith(('SELECT "plans_priority"', 'SELECT "plans_offer"')) for q in cached.captured_queries
    )
    client.force_login(world.provider)
    assert _table(client.get(approved.get_absolute_url()).content.decode()) == _table(first)


def test_a_change_to_an_approved_plans_rows_is_shown_at_once(world, client):
    """The cached table is keyed by the plan, its version and a stamp that any saved row renews."""
    approved = build_plan(world, S.APPROVED)
    client.force_login(world.csa)
    assert "Accepted" in _table(client.get(approved.get_absolute_url()).content.decode())
    offer = Offer.objects.select_related("priority").filter(priority__jisp=approved).first()
    offer.description = "Twelve days of coaching for the front door team"
    offer.save()
    assert "Twelve days of coaching for the front door team" in _table(
        client.get(approved.get_absolute_url()).content.decode()
    )
    priority = Priority.objects.get(pk=offer.priority_id)
    priority.title = "Stability of placements for children in care"
    priority.save()
    assert "Stability of placements for children in care" in _table(
        client.get(approved.get_absolute_url()).content.decode()
    )
    provider = offer.provider
    provider.name = "Renamed Support Partnership"
    provider.save()
    assert "Renamed Support Partnership" in _table(client.get(approved.get_absolute_url()).content.decode())


def test_the_approved_table_is_kept_in_the_configured_cache_under_the_plans_version(world, client):
    from django.core.cache import cache

    from plans.queries.drafting import published_table_key

    approved = build_plan(world, S.APPROVED)
    client.force_login(world.csa)
    client.get(approved.get_absolute_url())
    key = published_table_key(approved)
    assert key.startswith(f"plans:annex2-table:{approved.pk}:v{approved.version}:l{approved.lock_version}:")
    assert 'id="annex2"' in cache.get(key)
    JISP.objects.get(pk=approved.pk).save()  # any save of the plan gives its table a new key
    assert published_table_key(approved) != key
    assert published_table_key(example_plan(world)) is None  # a draft's table is never cached


def test_a_draft_plans_table_is_never_cached(world, client):
    jisp = example_plan(world)
    client.force_login(world.csa)
    client.get(jisp.get_absolute_url())
    Priority.objects.filter(jisp=jisp, order=1).update(title="Reduce teenage pregnancy in the west end")
    assert "Reduce teenage pregnancy in the west end" in client.get(jisp.get_absolute_url()).content.decode()


def _table(page):
    return page.split('id="annex2"', 1)[1].split('id="good-practice"', 1)[0]
