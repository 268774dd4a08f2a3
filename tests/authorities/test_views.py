import pytest
from django.urls import reverse

from accounts.models import Role
from authorities.models import LocalAuthority, RegionalForum
from tests.accounts.factories import UserFactory
from tests.authorities.factories import LocalAuthorityFactory, NationalIndicatorFactory
from tests.plans.factories import JISPFactory

pytestmark = pytest.mark.django_db


def html(response):
    assert response.status_code == 200
    return response.content.decode()


def test_authority_list_shows_region_csa_and_status(client, world):
    world.leeds.support_status = LocalAuthority.SupportStatus.INTERVENTION
    world.leeds.save()
    client.force_login(world.national)
    page = html(client.get(reverse("authorities:list")))
    assert "3 authorities" in page
    assert "Newcastle upon Tyne" in page
    assert "Chris Adviser" in page
    assert "Casey Other" in page
    assert "Intervention" in page
    assert "govuk-tag--orange" in page


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ({"q": "newcastle"}, ["Newcastle upon Tyne"], ["Gateshead", "Leeds"]),
        ({"q": "E08000035"}, ["Leeds"], ["Gateshead", "Newcastle upon Tyne"]),
        ({"support_status": "intervention"}, ["Leeds"], ["Gateshead", "Newcastle upon Tyne"]),
    ],
)
def test_authority_list_search_and_status_filter(client, world, query, shown, hidden):
    world.leeds.support_status = LocalAuthority.SupportStatus.INTERVENTION
    world.leeds.save()
    client.force_login(world.csa)
    page = html(client.get(reverse("authorities:list"), query))
    table = page.split("<table", 1)[1]
    for name in shown:
        assert name in table
    for name in hidden:
        assert f">{name}</a>" not in table


def test_authority_list_region_and_csa_filters(client, world):
    client.force_login(world.csa)
    table = html(client.get(reverse("authorities:list"), {"region": world.yh.pk})).split("<table", 1)[1]
    assert ">Leeds</a>" in table
    assert ">Gateshead</a>" not in table
    table = html(client.get(reverse("authorities:list"), {"csa": world.csa.pk})).split("<table", 1)[1]
    assert ">Gateshead</a>" in table
    assert ">Newcastle upon Tyne</a>" in table
    assert ">Leeds</a>" not in table
    assert "2 authorities match your filters" in table


def test_authority_list_paginates_25_and_keeps_filters(client, world):
    for n in range(30):
        LocalAuthorityFactory(name=f"Borough {n:02d}", gss_code=f"E09{n:06d}", region=world.ne)
    client.force_login(world.csa)
    page = html(client.get(reverse("authorities:list"), {"region": world.ne.pk}))
    assert page.count('scope="row"') == 25
    assert "Page 1 of 2" in page
    assert f"?region={world.ne.pk}&amp;page=2" in page
    page2 = html(client.get(reverse("authorities:list"), {"region": world.ne.pk, "page": 2}))
    assert page2.count('scope="row"') == 7  # 32 North East authorities


def test_authority_detail_shows_people_region_and_plans(client, world):
    JISPFactory(authority=world.newcastle, period="2009-10", status="approved")
    JISPFactory(authority=world.newcastle, period="2010-11")
    client.force_login(world.go_director)
    page = html(client.get(world.newcastle.get_absolute_url()))
    assert "Sam Okafor" in page
    assert "Chris Adviser" in page
    assert "Government Office for the North East" in page
    assert "Metropolitan district" in page
    assert "JISP 2009-10" in page
    assert "JISP 2010-11" in page
    assert page.index("JISP 2010-11") < page.index("JISP 2009-10")
    assert "Reassign" in page
    assert "Start a plan" not in page


def test_the_lead_csa_starts_a_plan_from_the_authority_page(client, world):
    client.force_login(world.csa)
    page = html(client.get(world.newcastle.get_absolute_url()))
    start = reverse("plans:create") + f"?authority={world.newcastle.gss_code}"
    assert f'href="{start}"' in page
    form = html(client.get(start))
    assert f'value="{world.newcastle.pk}" selected' in form
    client.force_login(world.csa_other)
    assert "Start a plan" not in html(client.get(world.newcastle.get_absolute_url()))


def test_authority_detail_offers_no_reassign_to_other_region(client, world):
    client.force_login(world.go_director_other)
    page = html(client.get(world.newcastle.get_absolute_url()))
    assert reverse("authorities:reassign_csa", args=[world.newcastle.gss_code]) not in page
    assert "no plans for Newcastle upon Tyne that you can see" in page


def test_reassign_form_offers_only_the_regions_active_csas(client, world):
    UserFactory(email="gone@example.gov.uk", full_name="Gone Adviser", role=Role.CSA, region=world.ne, is_active=False)
    client.force_login(world.go_director)
    page = html(client.get(reverse("authorities:reassign_csa", args=[world.newcastle.gss_code])))
    assert "Chris Adviser" in page
    assert "Casey Other" not in page
    assert "Gone Adviser" not in page


def test_reassign_success_shows_banner(client, world):
    new = UserFactory(email="nat@example.gov.uk", full_name="Nat Newcomer", role=Role.CSA, region=world.ne)
    client.force_login(world.go_director)
    response = client.post(
        reverse("authorities:reassign_csa", args=[world.newcastle.gss_code]), {"csa": new.pk}, follow=True
    )
    page = html(response)
    assert "Nat Newcomer is now the lead adviser for Newcastle upon Tyne" in page
    assert "govuk-notification-banner--success" in page


def test_reassign_to_other_regions_csa_shows_error_summary(client, world):
    client.force_login(world.go_director)
    response = client.post(
        reverse("authorities:reassign_csa", args=[world.newcastle.gss_code]), {"csa": world.csa_other.pk}
    )
    page = html(response)
    assert "There is a problem" in page
    assert "Select an adviser of the authority&#x27;s region" in page
    world.newcastle.refresh_from_db()
    assert world.newcastle.csa == world.csa


def test_reassign_same_csa_shows_service_error(client, world):
    client.force_login(world.go_director)
    page = html(
        client.post(reverse("authorities:reassign_csa", args=[world.newcastle.gss_code]), {"csa": world.csa.pk})
    )
    assert "already the lead adviser" in page


def test_indicator_list_search_and_outcome_filter(client, world):
    NationalIndicatorFactory(number=112, title="Under 18 conception rate", ecm_outcome="Be healthy")
    NationalIndicatorFactory(number=109, title="Delivery of Sure Start Children Centres", ecm_outcome="Be healthy")
    NationalIndicatorFactory(
        number=117, title="16 to 18 year olds who are not in education", ecm_outcome="Achieve economic well-being"
    )
    client.force_login(world.dcs)
    page = html(client.get(reverse("authorities:indicator_list"), {"q": "NI 112"}))
    assert "Under 18 conception rate" in page
    assert "Sure Start" not in page
    page = html(client.get(reverse("authorities:indicator_list"), {"q": "conception"}))
    assert "NI 112" in page
    assert "1 indicator match" in page
    page = html(client.get(reverse("authorities:indicator_list"), {"ecm_outcome": "Achieve economic well-being"}))
    assert "NI 117" in page
    assert "NI 112" not in page
    page = html(client.get(reverse("authorities:indicator_list"), {"q": "nothing like this"}))
    assert "No indicators match your search." in page


def test_forum_list_shows_only_visible_forums_with_counts(client, world):
    RegionalForum.objects.create(region=world.yh, name="Yorkshire Forum")
    client.force_login(world.csa)
    page = html(client.get(reverse("authorities:forum_list")))
    assert "North East Regional Children" in page
    assert "Yorkshire Forum" not in page
    assert "Create a forum" not in page
    client.force_login(world.admin)
    page = html(client.get(reverse("authorities:forum_list"), {"region": world.yh.pk}))
    assert "Yorkshire Forum" in page
    assert "North East Regional Children" not in page
    assert "Create a forum" in page


def test_forum_detail_lists_members_chair_and_partners(client, world):
    client.force_login(world.provider)
    page = html(client.get(world.forum.get_absolute_url()))
    assert "Chris Adviser" in page
    assert "Children&#x27;s Services Adviser" in page
    assert "North East" in page
    assert "Chair" in page
    assert "Together for Children" in page
    assert "Edit forum" not in page


def test_admin_creates_forum_through_the_form(client, world):
    client.force_login(world.admin)
    response = client.post(
        reverse("authorities:forum_create"),
        {
            "region": world.yh.pk,
            "name": "Yorkshire Forum",
            "chair": world.go_director_other.pk,
            "partners": [world.ns.pk],
        },
        follow=True,
    )
    page = html(response)
    assert "Yorkshire Forum has been created." in page
    assert "National Strategies" in page


def test_forum_form_errors_are_summarised(client, world):
    client.force_login(world.admin)
    page = html(client.post(reverse("authorities:forum_create"), {"name": ""}))
    assert "There is a problem" in page
    assert "Select the forum&#x27;s region" in page
    assert "Enter the forum&#x27;s name" in page
    page = html(client.post(reverse("authorities:forum_create"), {"region": world.ne.pk, "name": world.forum.name}))
    assert "already has a forum called" in page


def test_regional_admin_form_offers_only_their_region(client, world):
    regional = UserFactory(email="admin.ne@example.gov.uk", role=Role.ADMIN, region=world.ne)
    client.force_login(regional)
    page = html(client.get(reverse("authorities:forum_create")))
    assert ">North East</option>" in page
    assert "Yorkshire and the Humber</option>" not in page
    page = html(client.post(reverse("authorities:forum_create"), {"region": world.yh.pk, "name": "Sneaky"}))
    assert "Select one of your regions" in page


def test_admin_edits_forum(client, world):
    client.force_login(world.admin)
    url = reverse("authorities:forum_edit", args=[world.forum.pk])
    form = html(client.get(url))
    assert 'value="North East Regional Children' in form
    assert "Edit North East Regional Children" in form
    page = html(client.post(url, {"region": world.ne.pk, "name": "NE Forum", "members": [world.dcs.pk]}, follow=True))
    assert "NE Forum has been updated." in page
    world.forum.refresh_from_db()
    assert list(world.forum.members.all()) == [world.dcs]
    assert world.forum.chair is None


def test_navigation_marks_only_the_most_specific_section(client, world):
    client.force_login(world.csa)
    page = html(client.get(reverse("authorities:forum_list")))
    assert page.count('aria-current="page"') == 2  # the Forums nav item and the breadcrumb
    assert 'href="/authorities/forums/" aria-current="page"' in page


def test_nonsense_filters_and_page_numbers_do_not_break_lists(client, world):
    client.force_login(world.csa)
    for url in ("authorities:list", "authorities:indicator_list", "authorities:forum_list"):
        response = client.get(reverse(url), {"region": "abc", "csa": "x", "ecm_outcome": "nope", "page": "999"})
        assert response.status_code == 200
    assert client.get(reverse("providers:list"), {"region": "abc", "kind": "x", "page": "-1"}).status_code == 200
    assert client.get(reverse("providers:feedback_list"), {"provider": "abc"}).status_code == 200


def test_forum_page_shows_the_regions_shared_priorities_to_go_staff_only(client, world):
    from authorities.models import NationalIndicator
    from tests.plans.factories import JISPFactory, PriorityFactory

    ni = NationalIndicator.objects.create(number=112, title="Under 18 conception rate", ecm_outcome="Be healthy")
    for authority in (world.newcastle, world.gateshead):
        PriorityFactory(jisp=JISPFactory(authority=authority, period="2010-11")).indicators.add(ni)
    client.force_login(world.go_director)
    html = client.get(world.forum.get_absolute_url()).content.decode()
    assert "Regional priorities, 2010-11" in html
    assert "Under 18 conception rate" in html
    client.force_login(world.dcs)
    html = client.get(world.forum.get_absolute_url()).content.decode()
    assert "Regional priorities" not in html


def test_authority_and_forum_pages_list_their_meetings(client, world):
    from datetime import timedelta

    from django.utils import timezone

    from meetings.models import Meeting

    soon = timezone.now() + timedelta(days=7)
    Meeting.objects.create(
        authority=world.newcastle,
        kind="kit",
        title="Keep in touch: Newcastle",
        purpose="Review progress",
        starts_at=soon,
        organiser=world.csa,
    )
    Meeting.objects.create(
        forum=world.forum,
        kind="forum",
        title="Spring forum",
        purpose="Regional priorities",
        starts_at=soon,
        organiser=world.admin,
    )
    client.force_login(world.csa)
    assert "Keep in touch: Newcastle" in client.get(world.newcastle.get_absolute_url()).content.decode()
    assert "Spring forum" in client.get(world.forum.get_absolute_url()).content.decode()
    client.force_login(world.dcs_other)  # Leeds' DCS may see Newcastle's page but not its meetings
    assert "Keep in touch: Newcastle" not in client.get(world.newcastle.get_absolute_url()).content.decode()
