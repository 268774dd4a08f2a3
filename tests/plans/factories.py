import factory

from plans.models import JISP, Need, Offer, Priority
from tests.authorities.factories import LocalAuthorityFactory
from tests.providers.factories import ProviderFactory


class JISPFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JISP

    authority = factory.SubFactory(LocalAuthorityFactory)
    period = "2010-11"
    version = 1
    csa = factory.LazyAttribute(lambda o: o.authority.csa)


class PriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Priority

    jisp = factory.SubFactory(JISPFactory)
    order = factory.Sequence(lambda n: n)
    title = factory.Sequence(lambda n: f"Priority {n}")
    description = "Agreed with the authority"


class NeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Need

    priority = factory.SubFactory(PriorityFactory)
    order = factory.Sequence(lambda n: n)
    description = factory.Sequence(lambda n: f"Need {n}")


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offer

    priority = factory.SubFactory(PriorityFactory)
    provider = factory.SubFactory(ProviderFactory)
    status = Offer.Status.INVITED
