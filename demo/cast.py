"""The demo cast of the README's demo sign-ins: one user per role, with their organisations."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password

from accounts.models import Role, User
from authorities.models import LocalAuthority, Region
from providers.models import Provider


@dataclass(frozen=True)
class Person:
    email: str
    full_name: str
    role: str
    region: str = ""
    authority: str = ""
    provider: str = ""
    job_title: str = ""


CAST = [
    Person("admin@demo.test", "Ada Admin", Role.ADMIN, job_title="System administrator"),
    Person("csa@demo.test", "Chris Adviser", Role.CSA, region="North East", job_title="Children's Services Adviser"),
    Person(
        "director@demo.test",
        "Dana Director",
        Role.GO_DIRECTOR,
        region="North East",
        job_title="Director for Children and Learners",
    ),
    Person(
        "dcs@demo.test",
        "Sam Okafor",
        Role.DCS,
        region="North East",
        authority="Newcastle upon Tyne",
        job_title="Director of Children's Services",
    ),
    Person(
        "officer@demo.test",
        "Olu Officer",
        Role.LA_OFFICER,
        region="North East",
        authority="Newcastle upon Tyne",
        job_title="Head of Performance",
    ),
    Person(
        "dcs.leeds@demo.test",
        "Lee Denton",
        Role.DCS,
        region="Yorkshire and the Humber",
        authority="Leeds",
        job_title="Director of Children's Services",
    ),
    Person(
        "csa.leeds@demo.test",
        "Casey Leeds",
        Role.CSA,
        region="Yorkshire and the Humber",
        job_title="Children's Services Adviser",
    ),
    Person(
        "provider@demo.test",
        "Pat Provider",
        Role.PROVIDER_ADVISER,
        provider="TfC",
        job_title="Together for Children Adviser",
    ),
    Person(
        "provider.ns@demo.test",
        "Nia Strategies",
        Role.PROVIDER_ADVISER,
        provider="NS",
        job_title="National Strategies Regional Adviser",
    ),
    Person(
        "national@demo.test",
        "Nat Analyst",
        Role.NATIONAL,
        job_title="Analyst, Department for Children, Schools and Families",
    ),
]

#: (authority name, CSA email, DCS email)
LEADS = [
    ("Newcastle upon Tyne", "csa@demo.test", "dcs@demo.test"),
    ("Gateshead", "csa@demo.test", None),
    ("Leeds", "csa.leeds@demo.test", "dcs.leeds@demo.test"),
]


def demo_password_hash():
    """The one password hash every demo user gets. Hashing is slow on purpose (about half a second),
    so a re-run keeps the hash they share when it still matches DEMO_PASSWORD: ``make run`` then
    re-seeds in a moment, and demo users stay signed in across restarts."""
    password = settings.DEMO_PASSWORD
    shared = set(User.objects.filter(email__in=[p.email for p in CAST]).values_list("password", flat=True))
    if len(shared) == 1:
        (current,) = shared
        if current and check_password(password, current):
            return current
    return make_password(password)


def seed_cast():
    """Create or update the demo users and their memberships; return them by email."""
    password_hash = demo_password_hash()
    users = {}
    for person in CAST:
        user = User.objects.filter(email=person.email).first() or User(email=person.email)
        user.full_name = person.full_name
        user.job_title = person.job_title
        user.role = person.role
        user.region = Region.objects.get(name=person.region) if person.region else None
        user.authority = LocalAuthority.objects.get(name=person.authority) if person.authority else None
        user.provider = Provider.objects.get(abbreviation=person.provider) if person.provider else None
        user.is_staff = user.is_superuser = person.role == Role.ADMIN
        user.is_active = True
        user.password = password_hash
        user.save()
        users[person.email] = user
    for name, csa, dcs in LEADS:
        authority = LocalAuthority.objects.get(name=name)
        authority.csa = users[csa]
        if dcs:
            authority.dcs = users[dcs]
        authority.save(update_fields=["csa", "dcs"])
    return users


#: The demo administrator and GO director have two-factor sign-in (their roles need it) with this
#: fixed, public key — demo only. ``manage.py demo_totp <email>`` prints the current code.
DEMO_TOTP_KEY = b"jisp-demo-totp-key!!".hex()
DEMO_TWO_FACTOR_EMAILS = ("admin@demo.test", "director@demo.test")


def seed_two_factor(users):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    for email in DEMO_TWO_FACTOR_EMAILS:
        user = users[email]
        device = TOTPDevice.objects.filter(user=user, name="Demo authenticator").first()
        if device is None:
            device = TOTPDevice(user=user, name="Demo authenticator")
        device.key = DEMO_TOTP_KEY
        device.confirmed = True
        device.save()
