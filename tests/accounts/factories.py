import factory

from accounts.models import Role, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"user{n}@example.gov.uk")
    full_name = factory.Faker("name", locale="en_GB")
    role = Role.CSA
    password = factory.django.Password("correct-horse-battery")
