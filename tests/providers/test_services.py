import pytest
from django.core.exceptions import PermissionDenied

from accounts.models import OutboundEmail
from core.errors import ServiceError
from providers.models import ProvisionFeedback
from providers.services import give_feedback
from tests.providers.factories import ProviderFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["dcs", "la_officer"])
def test_authority_user_rates_for_own_authority_and_advisers_are_told(world, role):
    feedback = give_feedback(actor=world.users[role], provider=world.tfc, rating=4, comments=" Helpful. ")
    assert feedback.authority == world.newcastle
    assert feedback.given_by == world.users[role]
    assert feedback.comments == "Helpful."
    email = OutboundEmail.objects.get(recipient=world.provider.email)
    assert "rated your support 4 out of 5" in email.subject


@pytest.mark.parametrize("role", ["csa", "go_director", "provider", "national", "admin"])
def test_other_roles_may_not_rate(world, role):
    with pytest.raises(PermissionDenied):
        give_feedback(actor=world.users[role], provider=world.tfc, rating=4)
    assert not ProvisionFeedback.objects.exists()


def test_provider_outside_the_authoritys_region_is_refused(world):
    ne_only = ProviderFactory(abbreviation="NEIP", kind="riep")
    ne_only.regions.set([world.ne])
    give_feedback(actor=world.dcs, provider=ne_only, rating=5)
    with pytest.raises(PermissionDenied):
        give_feedback(actor=world.dcs_other, provider=ne_only, rating=5)


def test_inspectorate_cannot_be_rated(world):
    ofsted = ProviderFactory(abbreviation="AC", kind="inspectorate")
    ofsted.regions.set([world.ne])
    with pytest.raises(PermissionDenied):
        give_feedback(actor=world.dcs, provider=ofsted, rating=3)


@pytest.mark.parametrize("rating", [0, 6, None, "x"])
def test_rating_outside_1_to_5_is_refused(world, rating):
    with pytest.raises(ServiceError, match="1 to 5") as error:
        give_feedback(actor=world.dcs, provider=world.tfc, rating=rating)
    assert error.value.field == "rating"
    assert not ProvisionFeedback.objects.exists()
