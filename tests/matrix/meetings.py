"""Meetings: every page and action for every role (own and other objects)."""

from datetime import date, datetime

from django.urls import reverse

from core.working_days import LONDON
from meetings import services
from meetings.models import Meeting, MeetingNote
from tests.matrix import Case, everyone
from tests.meetings.factories import MeetingNoteFactory, attend, meeting_for

NEWCASTLE_VIEWERS = {"csa": 200, "go_director": 200, "dcs": 200, "la_officer": 200}
FUTURE = datetime(2027, 3, 2, 10, 0, tzinfo=LONDON)


def scheduled(w):
    return {"meeting": meeting_for(w, starts_at=FUTURE)}


def with_note(status):
    def setup(w):
        meeting = meeting_for(w, status=Meeting.Status.HELD, held_on=date(2026, 3, 2))
        note = MeetingNoteFactory(
            meeting=meeting,
            status=status,
            draft="Draft text",
            draft_due=date(2026, 3, 9),
            response_due=date(2099, 1, 1) if status == MeetingNote.Status.DRAFT_CIRCULATED else date(2026, 3, 16),
            final_due=date(2026, 3, 23),
            officer_concerned=w.la_officer,
        )
        return {"meeting": meeting, "note": note}

    return setup


def url(name):
    return lambda w, o: reverse(name, args=[o["meeting"].pk])


def only(allowed, status, others=403):
    """``allowed`` roles get ``status``; the other roles who can see the Newcastle meeting get ``others``."""
    expect = {role: others for role in NEWCASTLE_VIEWERS}
    expect.update({role: status for role in allowed})
    return expect


def provider_attends(w):
    meeting = meeting_for(w, starts_at=FUTURE)
    attend(meeting, w.provider, "Together for Children")
    return {"meeting": meeting}


def forum_meeting(w):
    return {"meeting": meeting_for(w, authority=None, forum=w.forum, organiser=w.admin, kind=Meeting.Kind.FORUM)}


def token(active=True):
    def setup(w):
        row = services.create_ical_token(actor=w.csa)
        if not active:
            from django.utils import timezone

            row.revoked_at = timezone.now()
            row.save()
        return {"token": row.plain_token}

    return setup


CASES = [
    Case("meetings list", "meetings:list", lambda w, o: reverse("meetings:list"), everyone(200)),
    Case("meetings month", "meetings:month", lambda w, o: reverse("meetings:month"), everyone(200)),
    Case(
        "meetings authority calendar",
        "meetings:authority_calendar",
        lambda w, o: reverse("meetings:authority_calendar", args=[w.newcastle.gss_code]),
        everyone(200),
    ),
    Case("meeting detail", "meetings:detail", url("meetings:detail"), NEWCASTLE_VIEWERS, setup=scheduled),
    Case(
        "meeting detail (provider attends)",
        "meetings:detail",
        url("meetings:detail"),
        {**NEWCASTLE_VIEWERS, "provider": 200},
        setup=provider_attends,
    ),
    Case(
        "meeting detail (forum)",
        "meetings:detail",
        url("meetings:detail"),
        {"csa": 200, "go_director": 200, "admin": 200},
        setup=forum_meeting,
    ),
    Case(
        "meeting create",
        "meetings:create",
        lambda w, o: reverse("meetings:create"),
        everyone(403, csa=200, csa_other=200, provider=200, provider_other=200, admin=200),
    ),
    Case(
        "meeting create POST (Newcastle)",
        "meetings:create",
        lambda w, o: reverse("meetings:create"),
        everyone(403, csa=302, csa_other=200),  # csa_other: Newcastle is not among their choices
        method="post",
        data=lambda w, o: {
            "authority": w.newcastle.gss_code,
            "kind": "kit",
            "title": "KIT",
            "purpose": "Support",
            "date": "02/03/2027",
            "time": "10:00",
            "is_remote": "on",
        },
    ),
    Case("meeting edit", "meetings:edit", url("meetings:edit"), only(["csa"], 200), setup=scheduled),
    Case(
        "meeting edit (provider organiser)",
        "meetings:edit",
        url("meetings:edit"),
        {**only([], 200), "provider": 200, "csa": 200},
        setup=lambda w: {"meeting": meeting_for(w, organiser=w.provider, starts_at=FUTURE)},
    ),
    Case(
        "agree agenda",
        "meetings:agree_agenda",
        url("meetings:agree_agenda"),
        only(["dcs", "la_officer"], 200),
        setup=scheduled,
    ),
    Case(
        "agree agenda POST",
        "meetings:agree_agenda",
        url("meetings:agree_agenda"),
        only(["dcs", "la_officer"], 302),
        method="post",
        setup=scheduled,
    ),
    Case("cancel meeting", "meetings:cancel", url("meetings:cancel"), only(["csa"], 200), setup=scheduled),
    Case(
        "cancel meeting POST",
        "meetings:cancel",
        url("meetings:cancel"),
        only(["csa"], 302),
        method="post",
        setup=scheduled,
        then=lambda w, o, role, r: (
            role != "csa" or Meeting.objects.get(pk=o["meeting"].pk).status == Meeting.Status.CANCELLED
        ),
    ),
    Case("mark held", "meetings:mark_held", url("meetings:mark_held"), only(["csa"], 200), setup=scheduled),
    Case(
        "mark held POST",
        "meetings:mark_held",
        url("meetings:mark_held"),
        only(["csa"], 302),
        method="post",
        data=lambda w, o: {"held_on": "02/03/2026"},
        setup=lambda w: {"meeting": meeting_for(w)},
    ),
    Case(
        "note draft",
        "meetings:note_draft",
        url("meetings:note_draft"),
        only(["csa"], 200),
        setup=with_note(MeetingNote.Status.AWAITING_DRAFT),
    ),
    Case(
        "circulate draft POST",
        "meetings:circulate",
        url("meetings:circulate"),
        only(["csa"], 302),
        method="post",
        setup=with_note(MeetingNote.Status.AWAITING_DRAFT),
    ),
    Case(
        "comment on draft",
        "meetings:comment",
        url("meetings:comment"),
        only(["dcs", "la_officer"], 200),
        setup=with_note(MeetingNote.Status.DRAFT_CIRCULATED),
    ),
    Case(
        "comment on draft POST",
        "meetings:comment",
        url("meetings:comment"),
        only(["dcs", "la_officer"], 302),
        method="post",
        data=lambda w, o: {"body": "We disagree"},
        setup=with_note(MeetingNote.Status.DRAFT_CIRCULATED),
    ),
    Case(
        "send final",
        "meetings:send_final",
        url("meetings:send_final"),
        only(["csa"], 200),
        setup=with_note(MeetingNote.Status.NO_COMMENTS),
    ),
    Case(
        "send final POST",
        "meetings:send_final",
        url("meetings:send_final"),
        only(["csa"], 302),
        method="post",
        data=lambda w, o: {"final": "Final"},
        setup=with_note(MeetingNote.Status.NO_COMMENTS),
    ),
    Case(
        "compliance",
        "meetings:compliance",
        lambda w, o: reverse("meetings:compliance"),
        everyone(200, dcs=403, dcs_other=403, la_officer=403),
    ),
    Case(
        "compliance csv",
        "meetings:compliance_csv",
        lambda w, o: reverse("meetings:compliance_csv"),
        everyone(200, dcs=403, dcs_other=403, la_officer=403),
    ),
    Case("ical settings", "meetings:ical_settings", lambda w, o: reverse("meetings:ical_settings"), everyone(200)),
    Case(
        "ical settings POST",
        "meetings:ical_settings",
        lambda w, o: reverse("meetings:ical_settings"),
        everyone(200),  # the new address is shown on this page, once
        method="post",
        data=lambda w, o: {"action": "create"},
    ),
    Case(
        "ical settings POST revoke",
        "meetings:ical_settings",
        lambda w, o: reverse("meetings:ical_settings"),
        everyone(302),
        method="post",
        data=lambda w, o: {"action": "revoke"},
        setup=token(),
    ),
    Case(
        "ical feed",
        "meetings:ical_feed",
        lambda w, o: reverse("meetings:ical_feed", args=[o["token"]]),
        everyone(200, anonymous=200),
        setup=token(),
    ),
    Case(
        "ical feed revoked",
        "meetings:ical_feed",
        lambda w, o: reverse("meetings:ical_feed", args=[o["token"]]),
        everyone(404, anonymous=404),
        setup=token(active=False),
    ),
]


def _moved_only_by_the_csa(w, o, role, response):
    assert (Meeting.objects.get(pk=o["meeting"].pk).title == "KIT (moved)") == (role == "csa")


# POSTs of the two edit forms (lock_version), so the CSRF, hostile-input and database-fault tests
# cover them too.
CASES += [
    Case(
        "meeting edit POST",
        "meetings:edit",
        url("meetings:edit"),
        only(["csa"], 302),
        method="post",
        setup=scheduled,
        data=lambda w, o: {
            "lock_version": o["meeting"].lock_version,
            "kind": "kit",
            "title": "KIT (moved)",
            "purpose": "Support",
            "date": "03/03/2027",
            "time": "11:00",
            "is_remote": "on",
        },
        then=_moved_only_by_the_csa,
    ),
    Case(
        "note draft POST",
        "meetings:note_draft",
        url("meetings:note_draft"),
        only(["csa"], 302),
        method="post",
        setup=with_note(MeetingNote.Status.AWAITING_DRAFT),
        data=lambda w, o: {
            "lock_version": o["note"].lock_version,
            "draft": "The authority has made progress.",
            "area_1": "Safeguarding",
            "rating_1": "good",
            "risk_1": "low",
        },
    ),
]
