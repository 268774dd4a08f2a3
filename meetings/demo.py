"""Demo meetings: Newcastle and Leeds meetings with notes in every state, a North East forum meeting
and a provider clinic. Dates are relative to today so the dashboards show due and overdue items.
Idempotent: a meeting already there (by title) is left as it is."""

from datetime import datetime, time

from django.utils import timezone

from authorities.models import LocalAuthority, RegionalForum
from core.working_days import LONDON, add_working_days, london_date
from providers.models import Provider

from .models import Meeting, MeetingAttendee, MeetingNote, NoteComment, NoteJudgement

S = MeetingNote.Status


def _at(d, hour=10):
    return datetime.combine(d, time(hour, 0), tzinfo=LONDON)


def _meeting(
    title, *, organiser, authority=None, forum=None, kind=Meeting.Kind.KIT, starts_on, agreed_by=None, **extra
):
    meeting = Meeting.objects.filter(title=title, authority=authority, forum=forum).first()
    if meeting:
        return meeting, False
    meeting = Meeting.objects.create(
        title=title,
        organiser=organiser,
        authority=authority,
        forum=forum,
        kind=kind,
        starts_at=_at(starts_on),
        purpose=extra.pop("purpose", "Review progress against the JISP priorities and agree next steps."),
        agenda=extra.pop(
            "agenda", "1. Progress on the JISP priorities\n2. Support offers and deployment\n3. Any other business"
        ),
        agenda_agreed_at=timezone.now() if agreed_by else None,
        agenda_agreed_by=agreed_by,
        location=extra.pop("location", "Civic Centre"),
        is_remote=extra.pop("is_remote", False),
        is_face_to_face=extra.pop("is_face_to_face", True),
        **extra,
    )
    return meeting, True


def _held(meeting, held_on, author, officer, status, comment_by=None, challenge=False):
    meeting.status, meeting.held_on = Meeting.Status.HELD, held_on
    meeting.save(update_fields=["status", "held_on"])
    note = MeetingNote(
        meeting=meeting,
        author=author,
        officer_concerned=officer,
        status=S.AWAITING_DRAFT,
        draft_due=add_working_days(held_on, 5),
    )
    if status != S.AWAITING_DRAFT:
        circulated = add_working_days(held_on, 4)
        note.draft = (
            f"Note of the {meeting.get_kind_display().lower()} held on {held_on:%d %B %Y}.\n\n"
            "Progress on the priorities was reviewed. Teenage pregnancy (NI 112) remains the main concern; "
            "the Regional Teenage Pregnancy Coordinator will support the authority."
        )
        note.draft_circulated_at = _at(circulated, 16)
        note.response_due = add_working_days(circulated, 5)
        note.status = S.DRAFT_CIRCULATED
    if status in (S.COMMENTS_RECEIVED, S.FINAL_SENT):
        received = add_working_days(circulated, 2)
        note.comments_received_at = _at(received, 11)
        note.final_due = add_working_days(received, 5)
        note.status = S.COMMENTS_RECEIVED
    if status == S.NO_COMMENTS:
        note.status = S.NO_COMMENTS
        note.final_due = add_working_days(note.response_due, 5)
    if status == S.FINAL_SENT:
        note.final = note.draft + "\n\nAmended after the authority's comments."
        note.final_sent_at = _at(add_working_days(received, 3), 15)
        note.status = S.FINAL_SENT
    note._history_user = author
    note.save()
    if status != S.AWAITING_DRAFT:
        j1 = NoteJudgement.objects.create(note=note, area="Safeguarding", performance_rating="adequate", risk="high")
        NoteJudgement.objects.create(note=note, area="Attainment at Key Stage 2", performance_rating="good", risk="low")
        if comment_by and note.comments_received_at:
            NoteComment.objects.create(
                note=note,
                author=comment_by,
                body="We think the risk on safeguarding is medium: the new referral team is in place."
                if challenge
                else "Thank you, the note is accurate.",
                challenges_assessment=challenge,
                judgement=j1 if challenge else None,
                created_at=note.comments_received_at,
            )
    return note


KINDS = {
    "LAA review": Meeting.Kind.LAA_REVIEW,
    "Visit": Meeting.Kind.VISIT,
    "Standards": Meeting.Kind.STANDARDS,
    "Strategic": Meeting.Kind.STRATEGIC_ENGAGEMENT,
    "Intervention": Meeting.Kind.AD_HOC,
}


def _kind(title):
    return next((kind for prefix, kind in KINDS.items() if title.startswith(prefix)), Meeting.Kind.KIT)


def seed(users, stdout):
    today = london_date()
    csa, director, dcs, officer = (
        users[e] for e in ("csa@demo.test", "director@demo.test", "dcs@demo.test", "officer@demo.test")
    )
    csa_leeds, dcs_leeds, provider, admin = (
        users[e] for e in ("csa.leeds@demo.test", "dcs.leeds@demo.test", "provider@demo.test", "admin@demo.test")
    )
    newcastle = LocalAuthority.objects.get(name="Newcastle upon Tyne")
    leeds = LocalAuthority.objects.get(name="Leeds")
    made = 0

    def past(n):
        return add_working_days(today, -n)

    plans = [
        # (title, authority, organiser, held working days ago, note status, officer, commenter, challenge)
        ("KIT: Newcastle, draft overdue", newcastle, csa, 8, S.AWAITING_DRAFT, officer, None, False),
        ("Standards meeting: Newcastle", newcastle, csa, 4, S.AWAITING_DRAFT, dcs, None, False),
        ("Visit: Newcastle children's centres", newcastle, csa, 7, S.DRAFT_CIRCULATED, officer, None, False),
        ("Strategic engagement: Newcastle", newcastle, csa, 9, S.COMMENTS_RECEIVED, officer, dcs, True),
        ("LAA review: Newcastle", newcastle, csa, 20, S.NO_COMMENTS, dcs, None, False),
        ("KIT: Newcastle, autumn", newcastle, csa, 30, S.FINAL_SENT, officer, dcs, False),
        ("KIT: Leeds, draft overdue", leeds, csa_leeds, 7, S.AWAITING_DRAFT, dcs_leeds, None, False),
        ("Intervention review: Leeds", leeds, csa_leeds, 8, S.DRAFT_CIRCULATED, dcs_leeds, None, False),
        ("Standards meeting: Leeds", leeds, csa_leeds, 12, S.COMMENTS_RECEIVED, dcs_leeds, dcs_leeds, True),
        ("KIT: Leeds, summer", leeds, csa_leeds, 25, S.FINAL_SENT, dcs_leeds, dcs_leeds, False),
    ]
    for title, authority, organiser, ago, status, concerned, commenter, challenge in plans:
        held_on = past(ago)
        meeting, created = _meeting(
            title,
            organiser=organiser,
            authority=authority,
            kind=_kind(title),
            starts_on=held_on,
            agreed_by=authority.dcs,
        )
        if created:
            made += 1
            MeetingAttendee.objects.create(meeting=meeting, user=authority.dcs, contribution="Director's overview")
            _held(meeting, held_on, organiser, concerned, status, commenter, challenge)
    upcoming = [
        ("KIT: Newcastle, next", newcastle, csa, 1, None),
        ("Visit: Newcastle youth service", newcastle, provider, 8, dcs),
        ("KIT: Leeds, next", leeds, csa_leeds, 2, None),
    ]
    for title, authority, organiser, ahead, agreed in upcoming:
        meeting, created = _meeting(
            title,
            organiser=organiser,
            authority=authority,
            kind=Meeting.Kind.VISIT if "Visit" in title else Meeting.Kind.KIT,
            starts_on=add_working_days(today, ahead),
            agreed_by=agreed,
            is_remote=True,
            location="Microsoft Teams",
            is_face_to_face=False,
        )
        if created:
            made += 1
            MeetingAttendee.objects.create(meeting=meeting, user=authority.dcs, contribution="Director's overview")
            if organiser == provider:
                MeetingAttendee.objects.create(
                    meeting=meeting, user=provider, contribution="Together for Children Adviser: NI 109"
                )
    forum = RegionalForum.objects.filter(region__slug="north-east").first()
    if forum:
        meeting, created = _meeting(
            "North East Regional Children and Young People's Forum",
            organiser=admin,
            forum=forum,
            kind=Meeting.Kind.FORUM,
            starts_on=add_working_days(today, 6),
            agreed_by=forum.chair,
            location="Government Office for the North East, Newcastle",
            purpose="Share regional priorities from the JISPs and agree the forum's work programme.",
        )
        if created:
            made += 1
            MeetingAttendee.objects.bulk_create(
                [
                    MeetingAttendee(meeting=meeting, user=u, contribution=c)
                    for u, c in ((director, "Chair"), (csa, "Regional JISP priorities"), (dcs, "Newcastle"))
                ]
            )
        clinic, created = _meeting(
            "Provider clinic: teenage pregnancy (NI 112)",
            organiser=admin,
            forum=forum,
            kind=Meeting.Kind.PROVIDER_CLINIC,
            starts_on=add_working_days(today, 10),
            priority_theme="NI 112 Under-18 conception rate",
            purpose="Authorities with teenage pregnancy as a JISP priority meet the providers who can support them.",
            agenda="1. Regional picture\n2. What works: the Regional Teenage Pregnancy Coordinator\n3. Offers",
            is_remote=True,
            location="Microsoft Teams",
            is_face_to_face=False,
        )
        if created:
            made += 1
            clinic.authorities.set(LocalAuthority.objects.filter(name__in=["Newcastle upon Tyne", "Gateshead"]))
            clinic.providers.set(Provider.objects.filter(abbreviation__in=["TfC", "NS"]))
            MeetingAttendee.objects.create(meeting=clinic, user=provider, contribution="Together for Children offer")
    stdout.write(f"Meetings: {made} added ({Meeting.objects.count()} in all)")
    from .demo_clocks import seed as seed_clocks

    seed_clocks(users, stdout)
