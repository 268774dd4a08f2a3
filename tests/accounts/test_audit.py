"""The audit log: sign-ins, failed sign-ins, sign-outs, lockouts and every change to a record with
history are recorded without the services calling anything; admins read it at /audit/."""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.models import AuditEvent
from plans.models import JISP
from tests.accounts.factories import UserFactory
from tests.plans.factories import JISPFactory, PriorityFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"
Action = AuditEvent.Action


def sign_in(client, email, password=PASSWORD, ip="203.0.113.7"):
    return client.post(reverse("accounts:login"), {"username": email, "password": password}, REMOTE_ADDR=ip)


# --- sign-in events -------------------------------------------------------------------------------


def test_sign_in_is_recorded_with_the_address(client):
    user = UserFactory(email="csa@example.gov.uk")
    sign_in(client, "csa@example.gov.uk")
    event = AuditEvent.objects.get(action=Action.SIGNED_IN)
    assert event.actor == user
    assert event.ip_address == "203.0.113.7"
    assert event.object_type == "accounts.user"
    assert event.object_id == str(user.pk)
    assert "csa@example.gov.uk signed in" in event.summary


def test_failed_sign_in_records_the_email_tried(client):
    user = UserFactory(email="csa@example.gov.uk")
    sign_in(client, "CSA@example.gov.uk", "wrong-password")
    sign_in(client, "nobody@example.gov.uk", "wrong-password")
    failed = list(AuditEvent.objects.filter(action=Action.SIGN_IN_FAILED).order_by("pk"))
    assert [e.details["email"] for e in failed] == ["csa@example.gov.uk", "nobody@example.gov.uk"]
    assert failed[0].actor == user
    assert failed[1].actor is None
    assert all(e.ip_address == "203.0.113.7" for e in failed)
    assert "wrong-password" not in str([e.details for e in failed]) + "".join(e.summary for e in failed)


def test_sign_out_is_recorded(client):
    user = UserFactory()
    client.force_login(user)
    client.post(reverse("accounts:logout"))
    assert AuditEvent.objects.filter(action=Action.SIGNED_OUT, actor=user).count() == 1


def test_lockout_is_recorded(client):
    user = UserFactory(email="csa@example.gov.uk")
    for _ in range(5):
        sign_in(client, "csa@example.gov.uk", "wrong")
    response = sign_in(client, "csa@example.gov.uk")
    assert response.status_code == 429
    locked = AuditEvent.objects.filter(action=Action.LOCKED_OUT)
    assert locked.exists()
    assert locked.first().actor == user
    assert locked.first().details["email"] == "csa@example.gov.uk"
    assert not AuditEvent.objects.filter(action=Action.SIGNED_IN).exists()


# --- every state change, from simple_history ------------------------------------------------------


def test_create_change_and_delete_of_a_record_with_history_are_recorded(world):
    jisp = JISPFactory(authority=world.newcastle)
    created = AuditEvent.objects.get(action=Action.CREATED, object_type="plans.jisp")
    assert created.object_id == str(jisp.pk)
    assert created.details["history_type"] == "+"
    assert "status" in created.details["fields"]
    assert "authority" in created.details["fields"]

    jisp._history_user = world.csa
    jisp.status = JISP.Status.WITH_AUTHORITY
    jisp.lock_version += 1
    jisp.save()
    changed = AuditEvent.objects.get(action=Action.CHANGED, object_type="plans.jisp")
    assert changed.actor == world.csa
    assert changed.details["fields"] == ["lock_version", "status"]
    assert changed.details["history_type"] == "~"
    assert changed.details["history_user_id"] == world.csa.pk
    assert "lock_version, status" in changed.summary
    assert "Newcastle upon Tyne" in changed.summary

    pk = jisp.pk
    jisp.delete()
    deleted = AuditEvent.objects.get(action=Action.DELETED)
    assert deleted.object_type == "plans.jisp"
    assert deleted.object_id == str(pk)


def test_changes_made_during_a_request_name_the_signed_in_user_and_address(world):
    request = RequestFactory().post("/anything", REMOTE_ADDR="198.51.100.4")
    request.user = world.dcs
    HistoricalRecords.context.request = request
    try:
        priority = PriorityFactory(jisp=JISPFactory(authority=world.newcastle))
    finally:
        del HistoricalRecords.context.request
    event = AuditEvent.objects.get(action=Action.CREATED, object_type="plans.priority", object_id=str(priority.pk))
    assert event.actor == world.dcs
    assert event.ip_address == "198.51.100.4"


def test_a_rolled_back_change_leaves_no_audit_line(world):
    jisp = JISPFactory(authority=world.newcastle)
    before = AuditEvent.objects.count()

    def approve_then_fail():
        with transaction.atomic():
            jisp.status = JISP.Status.APPROVED
            jisp.save()
            raise RuntimeError("the service failed after the write")

    with pytest.raises(RuntimeError):
        approve_then_fail()
    assert AuditEvent.objects.count() == before
    jisp.refresh_from_db()
    assert jisp.status == JISP.Status.DRAFT


def test_audit_details_name_fields_not_their_text(world):
    priority = PriorityFactory(jisp=JISPFactory(authority=world.newcastle), description="Confidential judgement")
    priority.description = "Even more confidential judgement"
    priority.save()
    event = AuditEvent.objects.get(action=Action.CHANGED, object_type="plans.priority")
    assert event.details["fields"] == ["description"]
    assert "confidential" not in (str(event.details) + event.summary).lower()


# --- the page -------------------------------------------------------------------------------------


def make_events(n, actor, action=Action.SIGNED_IN, object_type="accounts.user", at=None):
    at = at or timezone.now()
    AuditEvent.objects.bulk_create(
        AuditEvent(
            at=at - timedelta(minutes=i),
            actor=actor,
            action=action,
            object_type=object_type,
            object_id=str(i),
            summary=f"{action} {i}",
        )
        for i in range(n)
    )


def test_only_admins_see_the_audit_log(client, world):
    for role in ("csa", "go_director", "dcs", "la_officer", "provider", "national"):
        client.force_login(world.users[role])
        assert client.get(reverse("accounts:audit_log")).status_code == 404, role
    client.force_login(world.admin)
    response = client.get(reverse("accounts:audit_log"))
    assert response.status_code == 200
    assert "Audit log" in response.content.decode()


def test_audit_log_filters_by_actor_action_type_and_date(client, world):
    AuditEvent.objects.all().delete()
    last_week = timezone.now() - timedelta(days=7)
    make_events(3, world.csa, Action.SIGNED_IN)
    make_events(2, world.dcs, Action.CHANGED, object_type="plans.offer")
    make_events(4, world.dcs, Action.SIGN_IN_FAILED, at=last_week)
    client.force_login(world.admin)
    url = reverse("accounts:audit_log")

    def rows(**params):
        response = client.get(url, params)
        assert response.status_code == 200
        return response.context["page_obj"].paginator.count

    assert rows(actor=world.dcs.pk) == 6
    assert rows(action=Action.SIGN_IN_FAILED) == 4
    assert rows(object_type="plans.offer") == 2
    today = timezone.localdate().isoformat()
    assert rows(since=today, actor=world.dcs.pk) == 2
    assert rows(until=(timezone.localdate() - timedelta(days=6)).isoformat()) == 4
    html = client.get(url, {"object_type": "plans.offer"}).content.decode()
    assert "2 events" in html
    assert "plans.offer" in html


def test_audit_log_shows_an_error_for_a_bad_date(client, world):
    client.force_login(world.admin)
    response = client.get(reverse("accounts:audit_log"), {"since": "not-a-date"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "Enter a valid date" in html


def test_audit_log_is_paginated_and_keeps_the_filters(client, world):
    client.force_login(world.admin)
    AuditEvent.objects.all().delete()
    make_events(120, world.csa)
    response = client.get(reverse("accounts:audit_log"), {"action": Action.SIGNED_IN})
    html = response.content.decode()
    assert len(response.context["events"]) == 50
    assert "Page 1 of 3" in html
    assert "action=signed_in&amp;page=2" in html
    assert (
        len(client.get(reverse("accounts:audit_log"), {"action": Action.SIGNED_IN, "page": 3}).context["events"]) == 20
    )


def test_audit_log_query_count_is_constant(client, world):
    client.force_login(world.admin)
    url = reverse("accounts:audit_log")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, {"action": Action.CHANGED}).status_code == 200
        return len(ctx)

    make_events(3, world.csa, Action.CHANGED, object_type="plans.jisp")
    small = count()
    for user in (world.dcs, world.la_officer, world.provider, world.national):
        make_events(40, user, Action.CHANGED, object_type="plans.offer")
    assert count() == small


def test_audit_events_are_read_only_in_the_django_admin(client, world):
    make_events(1, world.csa)
    event = AuditEvent.objects.first()
    client.force_login(world.admin)
    assert client.get(reverse("admin:accounts_auditevent_changelist")).status_code == 200
    assert client.get(reverse("admin:accounts_auditevent_change", args=[event.pk])).status_code == 200
    assert client.get(reverse("admin:accounts_auditevent_add")).status_code == 403
    assert client.post(reverse("admin:accounts_auditevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


# --- accounts and two-factor devices --------------------------------------------------------------


def test_account_creation_and_changes_to_what_someone_may_do_are_recorded(world):
    user = UserFactory(email="new@example.gov.uk", role="csa", region=world.ne)
    assert AuditEvent.objects.filter(action=Action.ACCOUNT_CREATED, object_id=str(user.pk)).exists()
    user.role, user.is_staff, user.region = "national", True, None
    user.save()
    event = AuditEvent.objects.get(action=Action.ACCOUNT_CHANGED, object_id=str(user.pk))
    assert event.details["fields"] == ["role", "region", "is_staff"]
    assert event.details["role"] == ["csa", "national"]
    assert event.details["is_staff"] == [False, True]
    user.set_password("another-long-password")
    user.save()
    pw = AuditEvent.objects.filter(action=Action.ACCOUNT_CHANGED, object_id=str(user.pk)).latest("pk")
    assert pw.details == {"fields": ["password"]}
    assert "another-long-password" not in str(pw.details)
    assert user.password not in str(pw.details)


def test_signing_in_and_harmless_saves_record_no_account_change(client, world):
    client.force_login(world.csa)
    world.csa.full_name = "Chris A. Adviser"
    world.csa.save()
    assert not AuditEvent.objects.filter(action=Action.ACCOUNT_CHANGED).exists()


def test_an_administrator_changing_a_role_in_the_django_admin_is_recorded_as_them(client, world):
    client.force_login(world.admin)
    url = reverse("admin:accounts_user_change", args=[world.la_officer.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k not in ("groups", "password")}
    data.update(role="dcs", region=world.ne.pk, authority=world.newcastle.pk, date_joined_0="2026-01-01")
    data.update(date_joined_1="09:00:00", last_login_0="", last_login_1="")
    data.pop("date_joined", None)
    data.pop("last_login", None)
    data.pop("provider", None)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = AuditEvent.objects.get(action=Action.ACCOUNT_CHANGED, object_id=str(world.la_officer.pk))
    assert event.actor == world.admin
    assert event.details["role"] == ["la_officer", "dcs"]


def test_removing_a_two_factor_device_is_recorded(world):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=world.go_director, name="Phone", confirmed=True)
    device.delete()
    event = AuditEvent.objects.get(action=Action.TWO_FACTOR_RESET)
    assert event.object_id == str(world.go_director.pk)
    assert "Phone" in event.summary
