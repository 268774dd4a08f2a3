import pytest
from django.urls import reverse

from providers.models import ProvisionFeedback
from tests.accounts.factories import UserFactory
from tests.providers.factories import ProviderFactory, ProvisionFeedbackFactory

pytestmark = pytest.mark.django_db


def html(response):
    assert response.status_code == 200
    return response.content.decode()


def test_provider_list_filters_by_kind_region_and_search(client, world):
    ne_only = ProviderFactory(name="North East Improvement Partnership", abbreviation="NEIP", kind="riep")
    ne_only.regions.set([world.ne])
    client.force_login(world.csa)
    page = html(client.get(reverse("providers:list")))
    assert "3 providers" in page
    assert "Together for Children" in page
    page = html(client.get(reverse("providers:list"), {"kind": "riep"}))
    assert "North East Improvement Partnership" in page
    assert "Together for Children" not in page
    page = html(client.get(reverse("providers:list"), {"region": world.yh.pk}))
    assert "North East Improvement Partnership" not in page
    assert "National Strategies" in page
    page = html(client.get(reverse("providers:list"), {"q": "tfc"}))
    assert "1 provider match" in page
    assert "Together for Children" in page


def test_provider_detail_shows_remit_capacity_advisers_and_summary(client, world):
    world.tfc.capacity_days_per_year = 120
    world.tfc.engagement_preference = "through_go"
    world.tfc.save()
    ProvisionFeedbackFactory(provider=world.tfc, authority=world.newcastle, given_by=world.dcs, rating=5)
    ProvisionFeedbackFactory(provider=world.tfc, authority=world.gateshead, rating=2)
    ProvisionFeedbackFactory(provider=world.tfc, authority=world.leeds, rating=1, comments="Leeds only")
    client.force_login(world.csa)
    page = html(client.get(world.tfc.get_absolute_url()))
    assert "Improvement support" in page
    assert "120 days a year" in page
    assert "Through the Government Office" in page
    assert world.provider.email in page  # the adviser
    assert "Average rating <strong>3.5 out of 5</strong> from 2 ratings" in page
    assert "Leeds only" not in page
    assert "Give feedback on this provider" not in page


def test_provider_sees_own_feedback_not_anothers(client, world):
    ProvisionFeedbackFactory(provider=world.tfc, authority=world.newcastle, comments="For TfC")
    client.force_login(world.provider_other)
    page = html(client.get(world.tfc.get_absolute_url()))
    assert "For TfC" not in page
    assert "no feedback on Together for Children that you can see" in page
    client.force_login(world.provider)
    assert "For TfC" in html(client.get(world.tfc.get_absolute_url()))


def test_dcs_gives_feedback_and_sees_banner(client, world):
    client.force_login(world.dcs)
    page = html(client.get(world.tfc.get_absolute_url()))
    assert "Give feedback on this provider" in page
    url = reverse("providers:feedback_create", args=["TfC"])
    assert "For Newcastle upon Tyne" in html(client.get(url))
    page = html(client.post(url, {"rating": "4", "comments": "Strong on early years."}, follow=True))
    assert "Your feedback on Together for Children has been sent." in page
    assert "Strong on early years." in page
    assert "4 out of 5" in page
    assert ProvisionFeedback.objects.get().authority == world.newcastle


def test_feedback_form_errors(client, world):
    client.force_login(world.la_officer)
    page = html(client.post(reverse("providers:feedback_create", args=["TfC"]), {"comments": "x"}))
    assert "There is a problem" in page
    assert "Select a rating from 1 to 5" in page
    page = html(client.post(reverse("providers:feedback_create", args=["TfC"]), {"rating": "9"}))
    assert "Select a rating from 1 to 5" in page
    assert not ProvisionFeedback.objects.exists()


def test_feedback_list_scoped_and_filtered(client, world):
    ProvisionFeedbackFactory(provider=world.tfc, authority=world.newcastle, comments="Newcastle on TfC")
    ProvisionFeedbackFactory(provider=world.ns, authority=world.newcastle, comments="Newcastle on NS")
    ProvisionFeedbackFactory(provider=world.ns, authority=world.leeds, comments="Leeds on NS")
    client.force_login(world.go_director)
    page = html(client.get(reverse("providers:feedback_list")))
    assert "Newcastle on TfC" in page
    assert "Newcastle on NS" in page
    assert "Leeds on NS" not in page
    assert "your region's feedback" in page
    page = html(client.get(reverse("providers:feedback_list"), {"provider": world.ns.pk}))
    assert "Newcastle on NS" in page
    assert "Newcastle on TfC" not in page
    client.force_login(world.national)
    page = html(client.get(reverse("providers:feedback_list"), {"authority": world.leeds.pk}))
    assert "Leeds on NS" in page
    assert "Newcastle on NS" not in page
    client.force_login(world.provider)
    page = html(client.get(reverse("providers:feedback_list")))
    assert "Newcastle on TfC" in page
    assert "on NS" not in page


def test_feedback_list_empty_state(client, world):
    client.force_login(world.dcs_other)
    assert "There is no feedback that you can see." in html(client.get(reverse("providers:feedback_list")))


def test_provider_dashboard_card(client, world):
    client.force_login(world.provider)
    page = html(client.get("/"))
    assert "Your provider" in page
    assert "No authority has rated your support yet." in page
    ProvisionFeedbackFactory(provider=world.tfc, authority=world.newcastle, rating=3, comments="Steady help")
    page = html(client.get("/"))
    assert "Steady help" in page
    assert "3.0 out of 5" in page


def test_adviser_without_provider_sees_empty_state(client, world):
    lost = UserFactory(email="lost@example.org", role="provider_adviser")
    client.force_login(lost)
    assert "not linked to a provider" in html(client.get("/"))
