import factory
from django.utils import timezone

from accounts.models import ORGANISATION_OF_ROLE, Invitation, Role, User


def _organisation_for(role):
    """A new organisation of the kind the role needs (a region, an authority or a provider)."""
    from tests.authorities.factories import LocalAuthorityFactory, RegionFactory
    from tests.providers.factories import ProviderFactory

    field = ORGANISATION_OF_ROLE.get(role)
    if field == "region":
        return {"region": RegionFactory()}
    if field == "authority":
        authority = LocalAuthorityFactory()
        return {"authority": authority, "region": authority.region}
    if field == "provider":
        return {"provider": ProviderFactory()}
    return {}


class UserFactory(factory.django.DjangoModelFactory):
    """A user; one whose role needs an organisation and was given none gets a new one of its own
    (the database refuses an active account without it). Pass ``region=None`` (etc.) explicitly to
    try to make one without."""

    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"user{n}@example.gov.uk")
    full_name = factory.Faker("name", locale="en_GB")
    role = Role.CSA
    password = factory.django.Password("correct-horse-battery")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        given = {"region", "authority", "provider"} & kwargs.keys()
        if not given and kwargs.get("is_active", True):
            kwargs.update(_organisation_for(kwargs.get("role", Role.CSA)))
        return super()._create(model_class, *args, **kwargs)


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    email = factory.Sequence(lambda n: f"invitee{n}@example.gov.uk")
    full_name = factory.Faker("name", locale="en_GB")
    role = Role.NATIONAL
    created_at = factory.LazyFunction(timezone.now)
    sent_at = factory.LazyAttribute(lambda o: o.created_at)
    expires_at = factory.LazyAttribute(lambda o: o.sent_at + timezone.timedelta(days=7))
