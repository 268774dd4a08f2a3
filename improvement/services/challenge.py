"""Improvement services: the peer challenge.

A regional lead sets up a peer challenge of a shared self-assessment and invites the team — DCSs
and senior officers of other authorities, never the authority's own, and never from an authority with
a conflict (``queries.conflicts_for``): one already on this team, one whose people were on a recent
team for this authority, or one this authority's people recently challenged. Each invited person
accepts or declines. The team writes a finding per framework area. When the lead sends the findings
(day C) the days each member gave go into the reciprocity ledger and the authority has until
``add_working_days(C, 5)`` to respond; a response on day R makes the letter due on
``add_working_days(R, 5)``; no response by the due date, and the sweep moves the challenge to
``no_response`` with the letter due 5 working days after the response was. The lead then issues the
final letter, rendered to PDF by the worker after commit (stored with its SHA-256, never re-rendered).

planned ─send_findings→ findings_sent ─respond_to_findings→ responded ─issue_letter→ letter_issued
findings_sent ─(sweep)→ no_response ─issue_letter→ letter_issued;  planned ─cancel→ cancelled
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from simple_history.utils import bulk_update_with_history

from accounts.models import Role, User
from accounts.permissions import require
from core.digest import sends_immediately
from core.errors import ServiceError
from core.locking import check_and_bump
from core.notify import absolute_url, queue_email, queue_emails
from core.working_days import LONDON, WorkingCalendar, add_working_days, london_date

from ..models import (
    ChallengeReminder,
    Finding,
    FrameworkArea,
    JudgementLevel,
    PeerChallenge,
    PeerChallengeMember,
    ReciprocityEntry,
    SelfAssessment,
    financial_year,
)
from ..queries import conflicts_for
from .common import authority_people, clean_text, save

__all__ = [
    "RESPONSE_WORKING_DAYS",
    "LETTER_WORKING_DAYS",
    "MAX_MEMBER_DAYS",
    "set_up_peer_challenge",
    "cancel_peer_challenge",
    "invite_member",
    "answer_invitation",
    "withdraw_member",
    "write_finding",
    "send_findings",
    "respond_to_findings",
    "issue_letter",
    "publish_letter_pdf",
    "queue_letter_render",
    "sweep_challenge_deadlines",
]

log = logging.getLogger(__name__)

#: The authority responds to the findings within this many working days of receiving them (day 0).
RESPONSE_WORKING_DAYS = 5
#: The final letter is due this many working days after the response (or the lapsed response date).
LETTER_WORKING_DAYS = 5
#: The most days one person may give to one peer challenge.
MAX_MEMBER_DAYS = Decimal("20")

S = PeerChallenge.Status
M = PeerChallengeMember.Status
#: A reminder the sweep wants to send: (challenge, stage, kind, recipient, due date).
Wanted = tuple[PeerChallenge, str, str, User, date]


def _locked(challenge: PeerChallenge) -> PeerChallenge:
    return (
        PeerChallenge.objects.select_for_update(of=("self",))
        .select_related("authority", "authority__region", "authority__dcs", "lead", "self_assessment__framework")
        .get(pk=challenge.pk)
    )


def _expect(challenge: PeerChallenge, *statuses: str, action: str) -> None:
    if challenge.status not in statuses:
        raise ServiceError(f"You cannot {action} now: {challenge.state_phrase}.", field="__all__")


def _link(challenge: PeerChallenge) -> str:
    return absolute_url(reverse("improvement:challenge", kwargs={"pk": challenge.pk}))


def _team(challenge: PeerChallenge, *statuses: str) -> list[PeerChallengeMember]:
    return list(
        PeerChallengeMember.objects.filter(peer_challenge=challenge, status__in=statuses or (M.ACCEPTED,))
        .select_related("user", "authority")
        .order_by("invited_at", "pk")
    )


def _email(
    challenge: PeerChallenge, *, key: str, recipients: Iterable[Any], subject: str, template: str, **context: Any
) -> None:
    queue_email(
        key=key,
        recipients=recipients,
        subject=subject,
        template=template,
        context={"challenge": challenge, "authority": challenge.authority, "link": _link(challenge), **context},
    )


def _moment(day: date) -> datetime:
    """Now, or noon Europe/London on ``day`` when an action is recorded for an earlier day."""
    if day == london_date():
        return timezone.now()
    return datetime(day.year, day.month, day.day, 12, 0, tzinfo=LONDON)


def _clean_days(value: Any) -> Decimal:
    try:
        days = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError) as error:
        raise ServiceError("Enter the days as a number, like 2 or 2.5", field="days") from error
    if days <= 0:
        raise ServiceError("Enter the days they give, more than 0", field="days")
    if (days * 2) % 1 != 0:
        raise ServiceError("Enter the days in whole or half days, like 2 or 2.5", field="days")
    if days > MAX_MEMBER_DAYS:
        raise ServiceError(f"One person gives at most {MAX_MEMBER_DAYS} days to a peer challenge", field="days")
    return days


# --- setting up -----------------------------------------------------------------------------------


def set_up_peer_challenge(
    *, actor: User, self_assessment: SelfAssessment, starts_on: date | None, ends_on: date | None, focus: str = ""
) -> PeerChallenge:
    """A regional lead plans a peer challenge of a shared self-assessment, on site from ``starts_on``
    to ``ends_on``. One open peer challenge per self-assessment. The authority is told."""
    require(actor, "improvement.add_peerchallenge", self_assessment)
    focus = clean_text(focus, field="focus", max_length=5000)
    if starts_on is None:
        raise ServiceError("Enter the first day on site", field="starts_on")
    if ends_on is None:
        raise ServiceError("Enter the last day on site", field="ends_on")
    if ends_on < starts_on:
        raise ServiceError("The last day on site must be the same as or after the first", field="ends_on")
    if (ends_on - starts_on).days > 30:
        raise ServiceError("A peer challenge is on site for at most 30 days", field="ends_on")
    with transaction.atomic():
        self_assessment = (
            SelfAssessment.objects.select_for_update(of=("self",))
            .select_related("authority__region", "authority__dcs")
            .get(pk=self_assessment.pk)
        )
        if self_assessment.status != SelfAssessment.Status.SHARED:
            raise ServiceError(
                "The authority has not shared this self-assessment for peer challenge yet.", field="__all__"
            )
        open_one = (
            PeerChallenge.objects.filter(self_assessment=self_assessment)
            .exclude(status__in=[S.CANCELLED, S.LETTER_ISSUED])
            .first()
        )
        if open_one is not None:
            raise ServiceError(
                "There is already a peer challenge of this self-assessment under way.",
                field="__all__",
                details=[open_one],
            )
        challenge = PeerChallenge(
            authority=self_assessment.authority,
            self_assessment=self_assessment,
            lead=actor,
            starts_on=starts_on,
            ends_on=ends_on,
            focus=focus,
        )
        save(challenge, actor, "Peer challenge set up")
        _email(
            challenge,
            key=f"challenge-planned:{challenge.pk}",
            recipients=authority_people(challenge.authority),
            subject=f"Peer challenge of {challenge.authority}: on site {starts_on:%-d %B} to {ends_on:%-d %B %Y}",
            template="improvement/email/challenge_planned.txt",
            actor=actor,
        )
    return challenge


def cancel_peer_challenge(*, actor: User, challenge: PeerChallenge, reason: str) -> PeerChallenge:
    """The lead cancels a planned peer challenge (with a reason the authority and team are given)."""
    require(actor, "improvement.manage_peerchallenge", challenge)
    reason = clean_text(reason, field="reason", required_message="Enter why the peer challenge is cancelled")
    with transaction.atomic():
        challenge = _locked(challenge)
        _expect(challenge, S.PLANNED, action="cancel the peer challenge")
        challenge.status = S.CANCELLED
        challenge.lock_version += 1
        save(challenge, actor, f"Cancelled: {reason[:80]}")
        people = authority_people(challenge.authority) + [m.user for m in _team(challenge, M.INVITED, M.ACCEPTED)]
        _email(
            challenge,
            key=f"challenge-cancelled:{challenge.pk}",
            recipients=[p for p in people if p.pk != actor.pk],
            subject=f"Cancelled: the peer challenge of {challenge.authority}",
            template="improvement/email/challenge_cancelled.txt",
            reason=reason,
        )
    return challenge


# --- the team -------------------------------------------------------------------------------------


def invite_member(*, actor: User, challenge: PeerChallenge, user: User | None, days: Any) -> PeerChallengeMember:
    """Invite a DCS or senior officer of another authority to the team, for ``days`` days. Refused for
    the authority's own people and for anyone with a conflict (``queries.conflicts_for``)."""
    require(actor, "improvement.manage_peerchallenge", challenge)
    days = _clean_days(days)
    if user is None:
        raise ServiceError("Select the person to invite", field="user")
    if not user.is_active or user.role not in (Role.DCS, Role.LA_OFFICER) or user.authority_id is None:
        raise ServiceError(
            "Only a Director of Children's Services or a senior officer of an authority can join a team", field="user"
        )
    with transaction.atomic():
        challenge = _locked(challenge)
        _expect(challenge, S.PLANNED, action="invite people to the team")
        conflicts = conflicts_for(challenge, [user]).get(user.pk, [])
        if conflicts:
            raise ServiceError(f"{user} cannot join this team: {conflicts[0]}", field="user", details=conflicts)
        member = PeerChallengeMember.objects.select_for_update().filter(peer_challenge=challenge, user=user).first()
        if member is not None and member.status in (M.INVITED, M.ACCEPTED):
            raise ServiceError(f"{user} is already {'invited' if member.status == M.INVITED else 'on the team'}")
        if member is None:
            member = PeerChallengeMember(peer_challenge=challenge, user=user)
        member.authority_id = user.authority_id
        member.days, member.status = days, M.INVITED
        member.invited_by, member.invited_at, member.answered_at, member.decline_reason = (
            actor,
            timezone.now(),
            None,
            "",
        )
        save(member, actor, "Invited to the team")
        _email(
            challenge,
            key=f"challenge-invited:{challenge.pk}:{member.pk}:{member.invited_at:%Y%m%d%H%M%S}",
            recipients=[user],
            subject=f"Invitation: join the peer challenge team for {challenge.authority}",
            template="improvement/email/member_invited.txt",
            member=member,
            actor=actor,
            answer_link=absolute_url(reverse("improvement:member_answer", kwargs={"pk": member.pk})),
        )
    return member


def answer_invitation(
    *, actor: User, member: PeerChallengeMember, accept: bool, reason: str = ""
) -> PeerChallengeMember:
    """The person invited accepts (joins the team) or declines (optionally saying why)."""
    require(actor, "improvement.answer_invitation", member)
    reason = clean_text(reason, field="reason", max_length=2000)
    with transaction.atomic():
        challenge = _locked(member.peer_challenge)
        member = PeerChallengeMember.objects.select_for_update().get(pk=member.pk)
        if member.status != M.INVITED:
            raise ServiceError(f"You have already answered: {member.answer_phrase}.")
        _expect(challenge, S.PLANNED, action="answer the invitation")
        member.status = M.ACCEPTED if accept else M.DECLINED
        member.answered_at = timezone.now()
        member.decline_reason = "" if accept else reason
        save(member, actor, "Accepted the invitation" if accept else "Declined the invitation")
        _email(
            challenge,
            key=f"challenge-answered:{member.pk}:{member.answered_at:%Y%m%d%H%M%S}",
            recipients=[challenge.lead],
            subject=f"{member.user} has {'accepted' if accept else 'declined'} the invitation to the peer challenge "
            f"of {challenge.authority}",
            template="improvement/email/invitation_answered.txt",
            member=member,
        )
    return member


def withdraw_member(*, actor: User, member: PeerChallengeMember) -> PeerChallengeMember:
    """The lead takes someone off the team (or withdraws an invitation) while the challenge is planned."""
    require(actor, "improvement.manage_peerchallenge", member.peer_challenge)
    with transaction.atomic():
        challenge = _locked(member.peer_challenge)
        _expect(challenge, S.PLANNED, action="change the team")
        member = PeerChallengeMember.objects.select_for_update(of=("self",)).select_related("user").get(pk=member.pk)
        if member.status not in (M.INVITED, M.ACCEPTED):
            raise ServiceError(f"{member.user} is not on the team or invited.")
        member.status = M.WITHDRAWN
        save(member, actor, "Withdrawn from the team")
        _email(
            challenge,
            key=f"challenge-withdrawn:{member.pk}:{member.history.count()}",
            recipients=[member.user],
            subject=f"You are no longer on the peer challenge team for {challenge.authority}",
            template="improvement/email/member_withdrawn.txt",
            member=member,
        )
    return member


# --- findings -------------------------------------------------------------------------------------


def write_finding(
    *,
    actor: User,
    challenge: PeerChallenge,
    area: FrameworkArea | int,
    judgement: JudgementLevel | int,
    strengths: str = "",
    areas_for_improvement: str = "",
    reasons: str = "",
    lock_version: int | str | None = None,
) -> Finding:
    """A team member (or the lead) writes the team's finding on one area: strengths, areas for
    improvement and a judgement on the area's scale. A judgement that differs from the authority's
    own needs its reasons. Editing an existing finding carries its ``lock_version``."""
    require(actor, "improvement.write_finding", challenge)
    strengths = clean_text(strengths, field="strengths", max_length=10000)
    areas_for_improvement = clean_text(areas_for_improvement, field="areas_for_improvement", max_length=10000)
    reasons = clean_text(reasons, field="reasons", max_length=10000)
    if not (strengths or areas_for_improvement):
        raise ServiceError("Enter the strengths or the areas for improvement the team found", field="strengths")
    with transaction.atomic():
        challenge = _locked(challenge)
        _expect(challenge, S.PLANNED, action="write findings")
        found = FrameworkArea.objects.filter(
            pk=area.pk if isinstance(area, FrameworkArea) else int(area),
            framework_id=challenge.self_assessment.framework_id,
        ).first()
        if found is None:
            raise ServiceError("Select an area of the framework", field="area")
        area = found
        level_id = judgement.pk if isinstance(judgement, JudgementLevel) else int(judgement)
        level = JudgementLevel.objects.filter(pk=level_id, area=area).first()
        if level is None:
            raise ServiceError(f"Select the team's judgement on the scale of {area}", field="judgement")
        own = challenge.self_assessment.answers.filter(area=area).values_list("judgement_id", flat=True).first()
        if own is not None and own != level.pk and not reasons:
            raise ServiceError(
                "Give the reasons for the team's judgement: it differs from the authority's own", field="reasons"
            )
        finding = Finding.objects.select_for_update().filter(peer_challenge=challenge, area=area).first()
        if finding is None:
            finding = Finding(peer_challenge=challenge, area=area)
        else:
            check_and_bump(finding, lock_version)
        finding.judgement = level
        finding.strengths, finding.areas_for_improvement, finding.reasons = strengths, areas_for_improvement, reasons
        finding.written_by, finding.updated_at = actor, timezone.now()
        save(finding, actor)
    return finding


def send_findings(*, actor: User, challenge: PeerChallenge, today: date | None = None) -> PeerChallenge:
    """The lead sends the team's findings to the authority (day C): the response is due on
    ``add_working_days(C, 5)``. Needs a finding for every area, at least one accepted member and no
    unanswered invitation. The days each member gave are recorded in the reciprocity ledger (in the
    financial year of the last day on site)."""
    require(actor, "improvement.manage_peerchallenge", challenge)
    today = today or london_date()
    with transaction.atomic():
        challenge = _locked(challenge)
        _expect(challenge, S.PLANNED, action="send the findings")
        pending = _team(challenge, M.INVITED)
        if pending:
            names = ", ".join(str(m.user) for m in pending)
            raise ServiceError(
                f"Wait for every invitation to be answered, or withdraw it, before sending the findings: {names}.",
                details=pending,
            )
        team = _team(challenge, M.ACCEPTED)
        if not team:
            raise ServiceError("The team has nobody on it yet: invite DCSs or senior officers of other authorities.")
        areas = list(challenge.self_assessment.framework.areas.order_by("order", "pk"))
        written = set(Finding.objects.filter(peer_challenge=challenge).values_list("area_id", flat=True))
        missing = [str(a) for a in areas if a.pk not in written]
        if missing:
            raise ServiceError(
                "Write the team's finding on every area before sending the findings. Still to do: "
                + ", ".join(missing)
                + ".",
                details=missing,
            )
        year = financial_year(challenge.ends_on)
        for member in team:
            ReciprocityEntry.objects.get_or_create(
                peer_challenge=challenge,
                person=member.user,
                defaults={
                    "giving_authority_id": member.authority_id,
                    "receiving_authority_id": challenge.authority_id,
                    "year": year,
                    "given_on": challenge.ends_on,
                    "days": member.days,
                    "recorded_by": actor,
                },
            )
        challenge.status = S.FINDINGS_SENT
        challenge.findings_sent_at = _moment(today)
        challenge.response_due = add_working_days(today, RESPONSE_WORKING_DAYS)
        challenge.lock_version += 1
        save(challenge, actor, "Findings sent to the authority")
        _email(
            challenge,
            key=f"challenge-findings:{challenge.pk}",
            recipients=authority_people(challenge.authority),
            subject=f"Peer challenge findings for {challenge.authority}: please respond by "
            f"{challenge.response_due:%-d %B %Y}",
            template="improvement/email/findings_sent.txt",
            respond_link=absolute_url(reverse("improvement:respond", kwargs={"pk": challenge.pk})),
        )
    return challenge


def respond_to_findings(
    *,
    actor: User,
    challenge: PeerChallenge,
    response: str,
    finding_responses: Mapping[Any, str] | None = None,
    today: date | None = None,
) -> PeerChallenge:
    """The authority's DCS or an officer responds to the findings by the due date (day R), overall and
    optionally per area: the letter is then due on ``add_working_days(R, 5)``."""
    require(actor, "improvement.respond_peerchallenge", challenge)
    response = clean_text(
        response, field="response", required_message="Enter the authority's response", max_length=20000
    )
    today = today or london_date()
    with transaction.atomic():
        challenge = _locked(challenge)
        _expect(challenge, S.FINDINGS_SENT, action="respond to the findings")
        if challenge.response_due is not None and today > challenge.response_due:
            raise ServiceError(f"The response window closed on {challenge.response_due:%-d %B %Y}.")
        findings = {f.pk: f for f in Finding.objects.select_for_update().filter(peer_challenge=challenge)}
        for pk, text in (finding_responses or {}).items():
            finding = findings.get(int(pk))
            if finding is None:
                raise ServiceError("Respond to the findings of this peer challenge", field="__all__")
            finding.response = clean_text(text, field=f"finding_{pk}", max_length=10000)
            save(finding, actor, "The authority's response")
        challenge.response = response
        challenge.responded_at, challenge.responded_by = _moment(today), actor
        challenge.status = S.RESPONDED
        challenge.letter_due = add_working_days(today, LETTER_WORKING_DAYS)
        challenge.lock_version += 1
        save(challenge, actor, "The authority responded")
        _email(
            challenge,
            key=f"challenge-response:{challenge.pk}",
            recipients=[challenge.lead] + [m.user for m in _team(challenge, M.ACCEPTED)],
            subject=f"{challenge.authority} has responded to the peer challenge findings",
            template="improvement/email/response_received.txt",
            actor=actor,
        )
    return challenge


# --- the final letter -----------------------------------------------------------------------------


def issue_letter(*, actor: User, challenge: PeerChallenge, letter: str) -> PeerChallenge:
    """The lead issues the final letter (after the response, or once the window lapsed). The PDF is
    rendered by the worker after commit; the authority and the team are then sent a link."""
    require(actor, "improvement.manage_peerchallenge", challenge)
    letter = clean_text(letter, field="letter", required_message="Write the letter", max_length=30000)
    with transaction.atomic():
        challenge = _locked(challenge)
        _expect(challenge, S.RESPONDED, S.NO_RESPONSE, action="issue the letter")
        challenge.letter = letter
        challenge.letter_issued_at, challenge.letter_issued_by = timezone.now(), actor
        challenge.status = S.LETTER_ISSUED
        challenge.lock_version += 1
        save(challenge, actor, "Final letter issued")
        pk = challenge.pk
        transaction.on_commit(lambda: queue_letter_render(pk))
    return challenge


def queue_letter_render(challenge_id: int) -> None:
    """Hand the rendering to the worker; if the broker is down the beat's re-queue retries."""
    from ..tasks import render_letter_pdf

    try:
        render_letter_pdf.delay(challenge_id)
    except Exception:  # noqa: BLE001 - broker down or the eager render failed; the beat re-queues
        log.warning(
            "Could not queue the letter of peer challenge %s; it will be re-queued", challenge_id, exc_info=True
        )


def _letter_name(challenge: PeerChallenge) -> str:
    slug = slugify(challenge.authority.name) or "authority"
    return f"peer-challenge-letter-{slug}-{challenge.starts_on:%Y-%m}-{secrets.token_hex(8)}.pdf"


def publish_letter_pdf(*, challenge_id: int) -> PeerChallenge | None:
    """Render and store the final letter's PDF with its SHA-256, then send the authority, the team
    and the lead a link. Idempotent: a letter that has its PDF keeps it, and each person is emailed
    once. Returns the peer challenge (None if there is none)."""
    from ..pdf import render_letter_pdf_bytes

    with transaction.atomic():
        challenge = (
            PeerChallenge.objects.select_for_update(of=("self",))
            .select_related("authority__region", "authority__dcs", "lead", "letter_issued_by", "self_assessment")
            .filter(pk=challenge_id)
            .first()
        )
        if challenge is None or challenge.status != S.LETTER_ISSUED:
            return challenge
        if not challenge.letter_pdf:
            data = render_letter_pdf_bytes(challenge)
            challenge.letter_pdf.save(_letter_name(challenge), ContentFile(data), save=False)
            challenge.letter_pdf_sha256 = hashlib.sha256(data).hexdigest()
            challenge.save(update_fields=["letter_pdf", "letter_pdf_sha256"])
        recipients = authority_people(challenge.authority) + [m.user for m in _team(challenge, M.ACCEPTED)]
        recipients.append(challenge.lead)
        _email(
            challenge,
            key=f"challenge-letter:{challenge.pk}",
            recipients=recipients,
            subject=f"The peer challenge letter for {challenge.authority}",
            template="improvement/email/letter_issued.txt",
            pdf_link=absolute_url(reverse("improvement:letter_pdf", kwargs={"pk": challenge.pk})),
        )
    return challenge


# --- the deadline sweep ---------------------------------------------------------------------------

KIND_WORDS: dict[str, str] = {
    ChallengeReminder.Kind.DUE_TOMORROW: "is due in 1 working day",
    ChallengeReminder.Kind.DUE_TODAY: "is due today",
    ChallengeReminder.Kind.OVERDUE: "is overdue",
}


def _lapse_response_windows(today: date, now: datetime) -> tuple[list[PeerChallenge], WorkingCalendar]:
    """findings_sent past response_due → no_response, the letter due 5 working days after (one select,
    one update, one history insert). Returns (the lapsed challenges, a calendar around today)."""
    lapsed = list(
        PeerChallenge.objects.select_for_update(of=("self",))
        .filter(status=S.FINDINGS_SENT, response_due__lt=today)
        .select_related("lead", "authority")
        .order_by("pk")
    )
    earliest = min([c.response_due or today for c in lapsed], default=today)
    calendar = WorkingCalendar(min(earliest, today) - timedelta(days=40), today)
    for challenge in lapsed:
        challenge.status = S.NO_RESPONSE
        challenge.letter_due = calendar.add(challenge.response_due or today, LETTER_WORKING_DAYS)
        challenge.lock_version += 1
    if lapsed:
        bulk_update_with_history(
            lapsed,
            PeerChallenge,
            ["status", "letter_due", "lock_version"],
            default_change_reason="No response to the findings by the due date",
            default_date=now,
        )
    return lapsed, calendar


def _officers_of(challenges: Iterable[PeerChallenge]) -> dict[int | None, list[User]]:
    """{authority id: [DCS and officers]} of the authorities with a response due and no active DCS."""
    need = {
        c.authority_id
        for c in challenges
        if c.status == S.FINDINGS_SENT and not (c.authority.dcs and c.authority.dcs.is_active)
    }
    officers: dict[int | None, list[User]] = {}
    if need:
        for officer in User.objects.filter(
            authority_id__in=need, role__in=[Role.DCS, Role.LA_OFFICER], is_active=True
        ).order_by("email"):
            officers.setdefault(officer.authority_id, []).append(officer)
    return officers


def _wanted_reminders(challenges: Iterable[PeerChallenge], today: date) -> list[Wanted]:
    """[(challenge, stage, kind, recipient, due)]: the response to the authority's DCS (its officers if
    it has none), the letter to the lead."""
    R = ChallengeReminder.Kind
    officers = _officers_of(challenges)
    wanted: list[Wanted] = []
    for challenge in challenges:
        stage, due_on = challenge.current_stage
        if stage is None or due_on is None:
            continue
        kind = R.OVERDUE if due_on < today else R.DUE_TODAY if due_on == today else R.DUE_TOMORROW
        if stage == ChallengeReminder.Stage.RESPONSE:
            dcs = challenge.authority.dcs
            recipients = [dcs] if dcs and dcs.is_active else officers.get(challenge.authority_id, [])
        else:
            recipients = [challenge.lead] if challenge.lead.is_active else []
        wanted.extend((challenge, stage, kind, recipient, due_on) for recipient in recipients)
    return wanted


def _lapsed_message(challenge: PeerChallenge) -> dict[str, str]:
    return {
        "key": f"challenge-lapsed:{challenge.pk}",
        "recipient": challenge.lead.email,
        "subject": f"No response from {challenge.authority} to the peer challenge findings: the letter is due by "
        f"{challenge.letter_due:%-d %B %Y}",
        "body": render_to_string(
            "improvement/email/lapsed.txt",
            {
                "challenge": challenge,
                "authority": challenge.authority,
                "link": _link(challenge),
                "site_url": settings.SITE_URL,
            },
        ),
    }


def _reminder_message(challenge: PeerChallenge, stage: str, kind: str, recipient: User, due_on: date) -> dict[str, str]:
    stage_label = ChallengeReminder.Stage(stage).label
    link = (
        absolute_url(reverse("improvement:respond", kwargs={"pk": challenge.pk}))
        if stage == ChallengeReminder.Stage.RESPONSE
        else _link(challenge)
    )
    return {
        "key": f"challenge-reminder:{challenge.pk}:{stage}:{kind}:{recipient.pk}",
        "recipient": recipient.email,
        "subject": f"{stage_label} {KIND_WORDS[kind]}: peer challenge of {challenge.authority}",
        "body": render_to_string(
            "improvement/email/reminder.txt",
            {
                "challenge": challenge,
                "authority": challenge.authority,
                "stage": stage,
                "stage_label": stage_label,
                "words": KIND_WORDS[kind],
                "due": due_on,
                "recipient": recipient,
                "link": link,
                "site_url": settings.SITE_URL,
            },
        ),
    }


def sweep_challenge_deadlines(now: datetime | None = None) -> dict[str, int]:
    """Lapse response windows (findings_sent past ``response_due`` → no_response, letter due 5 working
    days after it), then send "due in 1 working day", "due today" and "overdue" reminders once each:
    the response to the authority's DCS (its officers if it has none), the letter to the lead. A fixed
    number of queries however many challenges; running it twice sends nothing twice (the
    ``ChallengeReminder`` unique constraint). Returns {"lapsed": n, "reminders": n}."""
    now = now or timezone.now()
    today = london_date(now)
    with transaction.atomic():
        lapsed, calendar = _lapse_response_windows(today, timezone.now())
        horizon = calendar.add(today, 1)
        due = list(
            PeerChallenge.objects.filter(
                Q(status=S.FINDINGS_SENT, response_due__lte=horizon)
                | Q(status__in=[S.RESPONDED, S.NO_RESPONSE], letter_due__lte=horizon)
            ).select_related("lead", "authority__dcs")
        )
        # people who chose the daily digest find these there (improvement.queries.digest_items)
        wanted = [w for w in _wanted_reminders(due, today) if sends_immediately(w[3])]
        messages = [_lapsed_message(c) for c in lapsed if c.lead.is_active]
        fresh = []
        if wanted:
            existing = set(
                ChallengeReminder.objects.filter(peer_challenge__in=[c.pk for c in due]).values_list(
                    "peer_challenge_id", "stage", "kind", "recipient_id"
                )
            )
            fresh = [w for w in wanted if (w[0].pk, w[1], w[2], w[3].pk) not in existing]
            ChallengeReminder.objects.bulk_create(
                [
                    ChallengeReminder(peer_challenge=c, stage=st, kind=k, recipient=r, sent_at=now)
                    for c, st, k, r, _ in fresh
                ],
                ignore_conflicts=True,
            )
            messages.extend(_reminder_message(*w) for w in fresh)
        queue_emails(messages)
    return {"lapsed": len(lapsed), "reminders": len(fresh)}
