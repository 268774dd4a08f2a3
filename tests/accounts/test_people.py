"""People (``accounts.services`` and the People pages): changing a role or organisation, switching an
account off and on, the per-role organisation rule in the database, and the migration that mended
old accounts before the rule was added."""

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from accounts.models import AuditEvent, Role, User, UserSession
from accounts.services import change_role, deactivate_user, reactivate_user
from core.errors import ServiceError
from meetings.services import create_ical_token
from tests.accounts.factories import UserFactory
from tests.accounts.mail import subjects_to

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


# --- the organisation a role needs ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "missing"),
    [
        (Role.CSA, "region"),
        (Role.GO_DIRECTOR, "region"),
        (Role.DCS, "authority"),
        (Role.LA_OFFICER, "authority"),
        (Role.PROVIDER_ADVISER, "provider"),
    ],
)
def test_the_database_refuses_an_active_account_without_its_organisation(role, missing):
    with pytest.raises(IntegrityError, match=f"user_role_needs_{missing}"), transaction.atomic():
        User.objects.create_user(f"{role}@example.gov.uk", PASSWORD, full_name="Orphan", role=role)
    user = UserFactory(role=role)  # the factory gives them one
    setattr(user, missing, None)
    with pytest.raises(IntegrityError), transaction.atomic():
        user.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=user.pk).update(**{missing: None})


def test_roles_without_an_organisation_and_switched_off_accounts_are_allowed():
    User.objects.create_user("national@example.gov.uk", PASSWORD, full_name="N", role=Role.NATIONAL)
    User.objects.create_user("admin@example.gov.uk", PASSWORD, full_name="A", role=Role.ADMIN)
    User.objects.create_user("old@example.gov.uk", PASSWORD, full_name="O", role=Role.CSA, is_active=False)
    old = User.objects.get(email="old@example.gov.uk")
    old.is_active = True
    with pytest.raises(IntegrityError), transaction.atomic():
        old.save()


def test_the_admin_add_form_requires_the_organisation(world, client):
    client.force_login(world.admin)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "new@example.gov.uk",
            "full_name": "New",
            "role": Role.DCS,
            "password1": "x" * 14 + "Aq!",
            "password2": "x" * 14 + "Aq!",
        },
    )
    assert response.status_code == 200
    assert "A Director of Children&#x27;s Services needs a local authority" in response.content.decode()
    assert not User.objects.filter(email="new@example.gov.uk").exists()
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "new@example.gov.uk",
            "full_name": "New",
            "role": Role.DCS,
            "authority": world.gateshead.pk,
            "password1": "harbour lantern violet",
            "password2": "harbour lantern violet",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert User.objects.get(email="new@example.gov.uk").authority == world.gateshead


def _migrate(targets=None):
    """Migrates the test database to `targets` (every app's latest migration when None) and returns
    the models as they were at that point."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def back_to_latest_migrations():
    """The test database must end on the latest migrations whatever happens, or every later test
    meets an old schema."""
    yield
    _migrate()


@pytest.mark.django_db(transaction=True)
def test_the_migration_mends_what_it_can_and_switches_off_the_rest(capsys, back_to_latest_migrations):
    old = _migrate([("accounts", "0006_people_onboarding")])
    Region = old.get_model("authorities", "Region")
    LocalAuthority = old.get_model("authorities", "LocalAuthority")
    OldUser = old.get_model("accounts", "User")
    ne = Region.objects.create(name="North East", slug="north-east", government_office="GONE")
    yh = Region.objects.create(name="Yorkshire", slug="yorkshire", government_office="GOYH")

    def user(email, role, **kw):
        return OldUser.objects.create(email=email, full_name=email, role=role, password="!", **kw)

    leader = user("leader@example.gov.uk", "csa")
    LocalAuthority.objects.create(name="Newcastle", gss_code="E1", region=ne, la_type="unitary", csa=leader)
    split = user("split@example.gov.uk", "csa")
    LocalAuthority.objects.create(name="Gateshead", gss_code="E2", region=ne, la_type="unitary", csa=split)
    LocalAuthority.objects.create(name="Leeds", gss_code="E3", region=yh, la_type="unitary", csa=split)
    director = user("director@example.gov.uk", "go_director")
    dcs = user("dcs@example.gov.uk", "dcs")
    LocalAuthority.objects.create(name="Sunderland", gss_code="E4", region=ne, la_type="unitary", dcs=dcs)
    officer = user("officer@example.gov.uk", "la_officer")
    adviser = user("adviser@example.org", "provider_adviser")
    fine = user("fine@example.gov.uk", "csa", region=ne)

    mended_apps = _migrate([("accounts", "0008_user_organisation_constraints")])
    printed = capsys.readouterr().out
    state = {u.email: u for u in mended_apps.get_model("accounts", "User").objects.select_related("authority")}
    assert state["leader@example.gov.uk"].region_id == ne.pk
    assert state["leader@example.gov.uk"].is_active
    assert state["dcs@example.gov.uk"].authority.name == "Sunderland"
    assert state["dcs@example.gov.uk"].is_active
    for email in ("split@example.gov.uk", "director@example.gov.uk", "officer@example.gov.uk", "adviser@example.org"):
        assert not state[email].is_active, f"{email} should be switched off"
        assert email in printed
    assert state["fine@example.gov.uk"].is_active
    assert "fine@example.gov.uk" not in printed
    mended = [str(u.pk) for u in (leader, split, director, dcs, officer, adviser)]
    events = mended_apps.get_model("accounts", "AuditEvent").objects
    assert events.filter(object_id__in=mended).count() == 6
    assert not events.filter(object_id=str(fine.pk)).exists()


# --- changing people ----------------------------------------------------------------------------------


def test_a_go_director_moves_an_officer_within_their_region_only(world):
    moved = change_role(actor=world.go_director, user=world.la_officer, role=Role.LA_OFFICER, authority=world.gateshead)
    assert moved.authority == world.gateshead
    assert moved.region == world.ne
    assert AuditEvent.objects.filter(action=AuditEvent.Action.ROLE_CHANGED, actor=world.go_director).exists()
    assert "Your role on the JISP portal has changed" in subjects_to(world.la_officer.email)
    with pytest.raises(PermissionDenied):
        change_role(actor=world.go_director, user=world.la_officer, role=Role.LA_OFFICER, authority=world.leeds)
    with pytest.raises(PermissionDenied):
        change_role(
            actor=world.go_director_other, user=world.la_officer, role=Role.LA_OFFICER, authority=world.newcastle
        )
    with pytest.raises(PermissionDenied):
        change_role(actor=world.go_director, user=world.la_officer, role=Role.ADMIN)


def test_nobody_changes_their_own_role(world):
    with pytest.raises(PermissionDenied):
        change_role(actor=world.admin, user=world.admin, role=Role.NATIONAL)
    with pytest.raises(PermissionDenied):
        deactivate_user(actor=world.go_director, user=world.go_director)


def test_a_csa_who_leads_authorities_must_be_replaced_there_first(world):
    with pytest.raises(ServiceError, match="Children's Services Adviser of Gateshead and Newcastle upon Tyne"):
        change_role(actor=world.admin, user=world.csa, role=Role.CSA, region=world.yh)
    assert User.objects.get(pk=world.csa.pk).region == world.ne


def test_a_dcs_who_changes_role_leaves_the_post_vacant(world):
    change_role(actor=world.go_director, user=world.dcs, role=Role.LA_OFFICER, authority=world.newcastle)
    world.newcastle.refresh_from_db()
    assert world.newcastle.dcs is None
    change_role(actor=world.go_director, user=world.la_officer, role=Role.DCS, authority=world.newcastle)
    world.newcastle.refresh_from_db()
    assert world.newcastle.dcs == world.la_officer


def test_switching_an_account_off_ends_its_sessions_and_calendar_feed_at_once(world, client):
    client.post(reverse("accounts:login"), {"username": world.la_officer.email, "password": PASSWORD})
    assert client.get("/").status_code == 200
    assert UserSession.objects.filter(user=world.la_officer).count() == 1
    token = create_ical_token(actor=world.la_officer)
    deactivate_user(actor=world.go_director, user=world.la_officer)
    assert not Session.objects.filter(session_key__in=UserSession.objects.values("session_key")).exists()
    assert client.get("/").status_code == 302, "signed out at once"
    token.refresh_from_db()
    assert token.revoked_at is not None
    event = AuditEvent.objects.get(action=AuditEvent.Action.ACCOUNT_DEACTIVATED)
    assert event.actor == world.go_director
    assert event.details["sessions_ended"] == 1
    with pytest.raises(ServiceError, match="already switched off"):
        deactivate_user(actor=world.go_director, user=world.la_officer)
    reactivate_user(actor=world.go_director, user=world.la_officer)
    assert (
        client.post(reverse("accounts:login"), {"username": world.la_officer.email, "password": PASSWORD}).status_code
        == 302
    )


def test_what_a_switched_off_user_did_stays(world):
    from accounts.services import invite_user

    invite_user(
        actor=world.csa, email="n@example.gov.uk", full_name="N", role=Role.LA_OFFICER, authority=world.newcastle
    )
    before = AuditEvent.objects.filter(actor=world.csa).count()
    deactivate_user(actor=world.admin, user=world.csa)
    world.newcastle.refresh_from_db()
    assert world.newcastle.csa == world.csa, "the authority still names its CSA (the GO director reassigns)"
    assert AuditEvent.objects.filter(actor=world.csa).count() == before
    assert User.objects.filter(pk=world.csa.pk, is_active=False).exists(), "switched off, never deleted"


def test_the_people_page_lists_only_the_people_in_scope_with_filters(world, client):
    client.force_login(world.go_director)
    page = client.get(reverse("accounts:people")).content.decode()
    assert world.csa.email in page
    assert world.dcs.email in page
    assert world.la_officer.email in page
    assert world.csa_other.email not in page
    assert world.admin.email not in page
    assert world.provider.email not in page
    filtered = client.get(reverse("accounts:people"), {"role": Role.DCS}).content.decode()
    assert world.dcs.email in filtered
    assert world.la_officer.email not in filtered
    assert "Never" in page
    client.force_login(world.admin)
    everyone = client.get(reverse("accounts:people")).content.decode()
    assert world.provider.email in everyone
    assert world.csa_other.email in everyone


def test_the_people_page_takes_the_same_queries_however_many_people(world, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.admin)
    client.get(reverse("accounts:people"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("accounts:people"))
    for n in range(15):
        UserFactory(email=f"more{n}@example.gov.uk", role=[Role.CSA, Role.DCS, Role.PROVIDER_ADVISER][n % 3])
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("accounts:people"))
    assert len(many) == len(few)


def test_a_persons_page_shows_their_role_and_history_and_its_actions(world, client):
    client.force_login(world.go_director)
    change_role(actor=world.go_director, user=world.la_officer, role=Role.LA_OFFICER, authority=world.gateshead)
    page = client.get(reverse("accounts:person_detail", args=[world.la_officer.pk])).content.decode()
    assert "Local authority officer, Gateshead" in page
    assert "Newcastle upon Tyne → Local authority officer, Gateshead" in page
    assert reverse("accounts:person_deactivate", args=[world.la_officer.pk]) in page


def test_switching_off_from_the_page(world, client):
    client.force_login(world.go_director)
    url = reverse("accounts:person_deactivate", args=[world.dcs.pk])
    assert "Switch off the account" in client.get(url).content.decode()
    response = client.post(url, follow=True)
    assert "The account of Sam Okafor is switched off." in response.content.decode()
    assert not User.objects.get(pk=world.dcs.pk).is_active
