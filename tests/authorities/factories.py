import factory

from authorities.models import LocalAuthority, NationalIndicator, Region, RegionalForum


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Region {n}")
    slug = factory.Sequence(lambda n: f"region-{n}")
    government_office = factory.LazyAttribute(lambda o: f"Government Office for {o.name}")


class LocalAuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalAuthority
        django_get_or_create = ("gss_code",)

    name = factory.Sequence(lambda n: f"Authority {n}")
    gss_code = factory.Sequence(lambda n: f"E08{n:06d}")
    region = factory.SubFactory(RegionFactory)
    la_type = LocalAuthority.LAType.METROPOLITAN_DISTRICT


class NationalIndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NationalIndicator
        django_get_or_create = ("number",)

    number = factory.Sequence(lambda n: 500 + n)
    title = factory.Sequence(lambda n: f"Indicator {n}")
    ecm_outcome = NationalIndicator.Outcome.BE_HEALTHY


class RegionalForumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegionalForum

    region = factory.SubFactory(RegionFactory)
    name = factory.LazyAttribute(lambda o: f"{o.region.name} Regional Children and Young People's Forum")
