import factory

from providers.models import Provider, ProvisionFeedback
from tests.accounts.factories import UserFactory
from tests.authorities.factories import LocalAuthorityFactory


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider
        django_get_or_create = ("abbreviation",)

    name = factory.Sequence(lambda n: f"Provider {n}")
    abbreviation = factory.Sequence(lambda n: f"P{n}")
    kind = Provider.Kind.FIELD_FORCE
    remit = "Improvement support"
    contact_email = factory.LazyAttribute(lambda o: f"contact@{o.abbreviation.lower()}.example.org")


class ProvisionFeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProvisionFeedback

    provider = factory.SubFactory(ProviderFactory)
    authority = factory.SubFactory(LocalAuthorityFactory)
    rating = 4
    comments = "Useful, well-targeted support."
    given_by = factory.SubFactory(UserFactory, role="dcs")
