"""History (django-simple-history) on everything a user can change that matters for accountability:
who changed what, and when, from the portal's services and from the Django admin alike. Each history
row also becomes an audit-log event (``accounts.audit``)."""

from datetime import date

import pytest
from django.apps import apps
from django.urls import reverse

from accounts.models import AuditEvent
from meetings.models import Meeting, NonWorkingDay, NoteJudgement
from meetings.services import save_draft
from tests.meetings.factories import MeetingNoteFactory, meeting_for

PORTAL_APPS = ("accounts", "authorities", "providers", "plans", "meetings", "improvement")

#: Models without history, each with the reason. Every other model of the portal must have it, so a
#: new model is either given history or added here with a reason a reviewer can judge.
WITHOUT_HISTORY = {
    "accounts.user": "account changes are audit-log events of their own (invited, role changed, switched off, "
    "credentials changed), and a history table would copy password hashes",
    "accounts.invitation": "every step is an audit-log event written by accounts.services",
    "accounts.accessrequest": "every step is an audit-log event written by accounts.services",
    "accounts.auditevent": "the audit log itself: append-only, read-only in the admin",
    "accounts.outboundemail": "the email queue, written by the system",
    "accounts.usersession": "a record of sign-ins, written by the system",
    "accounts.ratelimithit": "throttle counters, written by the system",
    "meetings.reminder": "written by the deadline sweep, once each",
    "meetings.digest": "written by the daily digest, once each",
    "meetings.bankholidaysnapshot": "GOV.UK's bank holidays as fetched, written by the system",
    "meetings.deadlinemove": "itself the record of a due date moved by a closure, written once",
    "meetings.icaltoken": "a credential (its hash) its user alone replaces or revokes",
    "plans.plancopy": "the signed-off PDF's copies, written by the worker",
    "plans.offerevent": "itself the record of an offer's events, written once",
    "plans.deliveryupdate": "itself the record of an offer's delivery, written once and never changed",
    "plans.offerdraft": "the provider's revision before it is sent, seen by its provider alone; the offer's "
    "history records it when it is resubmitted",
    "plans.anneximport": "a staging copy of an uploaded document (its parsed preview); the plan rows it creates "
    "have history",
    "improvement.challengereminder": "written by the challenge sweep, once each",
}

#: Named in the security review: these must keep history whatever else changes.
NAMED = [
    "meetings.notejudgement",
    "meetings.notecomment",
    "meetings.meeting",
    "meetings.nonworkingday",
    "authorities.localauthority",
    "authorities.regionalforum",
    "plans.goodpractice",
    "plans.deploymentplan",
]


def has_history(model):
    return getattr(model._meta, "simple_history_manager_attribute", None) is not None


def portal_models():
    for app in PORTAL_APPS:
        for model in apps.get_app_config(app).get_models():
            if model.__name__.startswith("Historical"):
                continue
            yield model


def test_every_model_a_user_changes_keeps_history():
    labels = {m._meta.label_lower for m in portal_models()}
    assert set(WITHOUT_HISTORY) <= labels, "an exemption names a model that no longer exists"
    missing = [
        m._meta.label_lower
        for m in portal_models()
        if m._meta.label_lower not in WITHOUT_HISTORY and not has_history(m)
    ]
    assert not missing, f"no history (add HistoricalRecords, or an exemption with its reason): {missing}"
    for label in NAMED:
        assert has_history(apps.get_model(label)), label


def test_every_model_with_history_shows_it_in_the_admin():
    from django.contrib import admin
    from simple_history.admin import SimpleHistoryAdmin

    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label in PORTAL_APPS and has_history(model):
            assert isinstance(model_admin, SimpleHistoryAdmin), model._meta.label


@pytest.mark.django_db
def test_an_admin_edit_is_in_the_history_with_the_administrator(world, client):
    client.force_login(world.admin)
    response = client.post(
        reverse("admin:meetings_nonworkingday_add"), {"date": "2027-12-29", "reason": "Office closure"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    day = NonWorkingDay.objects.get(date=date(2027, 12, 29))
    record = day.history.get()
    assert record.history_type == "+"
    assert record.history_user == world.admin
    event = AuditEvent.objects.filter(object_type="meetings.nonworkingday", object_id=str(day.pk)).get()
    assert event.actor == world.admin
    assert client.get(reverse("admin:meetings_nonworkingday_history", args=[day.pk])).status_code == 200


@pytest.mark.django_db
def test_a_notes_judgements_added_and_removed_are_in_the_history(world):
    meeting = meeting_for(world, status=Meeting.Status.HELD, held_on=date(2026, 3, 2))
    note = MeetingNoteFactory(meeting=meeting, author=world.csa, draft_due=date(2026, 3, 9))
    save_draft(
        actor=world.csa,
        note=note,
        draft="Notes",
        lock_version=note.lock_version,
        judgements=[("Safeguarding leadership", "inadequate", "high")],
    )
    judgement = NoteJudgement.history.get()
    assert (judgement.area, judgement.history_type, judgement.history_user) == (
        "Safeguarding leadership",
        "+",
        world.csa,
    )
    note.refresh_from_db()
    save_draft(actor=world.csa, note=note, draft="Notes", lock_version=note.lock_version, judgements=[])
    assert list(NoteJudgement.history.order_by("history_id").values_list("history_type", flat=True)) == ["+", "-"]


@pytest.mark.django_db
def test_a_change_reason_longer_than_its_column_is_cut_to_fit_not_refused():
    day = NonWorkingDay(date=date(2026, 12, 24), reason="Office closed")
    day._change_reason = "Withdrawn: " + "the provider can no longer staff it " * 10
    day.save()
    kept = day.history.latest().history_change_reason
    assert len(kept) == 100
    assert kept.startswith("Withdrawn: the provider")
    assert kept.endswith("…")
