"""Peer challenge pages: setting one up, the challenge itself, the team (invitations, answers,
withdrawals), the findings, sending them, the authority's response, the final letter and its PDF."""

from django.db.models import Case, When
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import path
from django.utils.text import capfirst, slugify
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import User
from accounts.permissions import can, require
from authorities.models import Region
from core.actions import posted, rebind, submit
from core.working_days import WorkingCalendar, london_date, working_days_between
from plans.forms.workflow import ConfirmForm

from .. import queries as q
from .. import services
from ..forms import (
    AnswerInvitationForm,
    CancelForm,
    ChallengeForm,
    FindingForm,
    InviteForm,
    LetterForm,
    RespondForm,
    days_text,
)
from ..models import FrameworkArea, PeerChallenge, PeerChallengeMember, SelfAssessment, financial_year
from .common import challenge_crumbs, form_page, sa_crumbs

S = PeerChallenge.Status


def _state(challenge):
    return f"{capfirst(challenge.state_phrase)}."


def _challenge(request, pk):
    return get_object_or_404(q.challenge_detail(request.user), pk=pk)


def _planned_only(challenge):
    return {
        "allowed": challenge.status == S.PLANNED,
        "not_allowed": _state(challenge),
    }


@require_http_methods(["GET", "POST"])
def create(request, pk):
    self_assessment = get_object_or_404(
        SelfAssessment.objects.visible_to(request.user).select_related("authority__region"), pk=pk
    )
    require(request.user, "improvement.add_peerchallenge", self_assessment)
    form = ChallengeForm(posted(request))
    outcome = submit(
        request,
        form,
        lambda data: services.set_up_peer_challenge(actor=request.user, self_assessment=self_assessment, **data),
        success="The peer challenge has been set up. Now invite the team.",
        then=lambda challenge: challenge.get_absolute_url(),
    )
    return outcome.response or form_page(
        request,
        outcome.form,
        title="Set up a peer challenge",
        caption=str(self_assessment.authority),
        crumbs=sa_crumbs(self_assessment, "Set up a peer challenge"),
        cancel_url=self_assessment.get_absolute_url(),
        lead=f"The team tests {self_assessment.authority}'s shared self-assessment {self_assessment.year}. You "
        "invite DCSs and senior officers of other authorities next.",
        allowed=not self_assessment.is_draft,
        not_allowed="The authority has not shared this self-assessment for peer challenge yet.",
    )


def _findings_visible(user, challenge):
    """The team and the regional leads see findings as they are written; the authority once they are
    sent; everyone who may see the challenge once the letter is issued."""
    if can(user, "improvement.write_finding", challenge):
        return True
    if challenge.status == S.LETTER_ISSUED:
        return True
    return challenge.findings_released and can(user, "improvement.respond_peerchallenge", challenge)


@require_GET
def detail(request, pk):
    challenge = _challenge(request, pk)
    user = request.user
    manage = can(user, "improvement.manage_peerchallenge", challenge)
    write = can(user, "improvement.write_finding", challenge)
    show_findings = _findings_visible(user, challenge)
    today = london_date()
    stage, due = challenge.current_stage
    due_text = ""
    if due:
        calendar = WorkingCalendar(min(due, today), max(due, today))
        due_text = q._due_text(due, today, calendar)
    members = list(challenge.members.all())
    return render(
        request,
        "improvement/challenge.html",
        {
            "challenge": challenge,
            "members": members,
            "me": q.member_of(challenge, user),
            "rows": q.finding_rows(challenge) if show_findings else [],
            "show_findings": show_findings,
            "stage": stage,
            "due": due,
            "due_text": due_text,
            "may_manage": manage,
            "may_write": write and challenge.status == S.PLANNED,
            "may_respond": can(user, "improvement.respond_peerchallenge", challenge)
            and challenge.status == S.FINDINGS_SENT,
            "may_see_self_assessment": can(user, "improvement.view_selfassessment", challenge.self_assessment),
            "may_broker": can(user, "improvement.add_brokerage", challenge.authority)
            and challenge.status == S.LETTER_ISSUED,
            "brokerages": list(challenge.brokerages.select_related("support_plan")),
            "crumbs": challenge_crumbs(challenge),
        },
    )


@require_http_methods(["GET", "POST"])
def cancel(request, pk):
    challenge = _challenge(request, pk)
    require(request.user, "improvement.manage_peerchallenge", challenge)
    form = CancelForm(posted(request))
    outcome = submit(
        request,
        form,
        lambda data: services.cancel_peer_challenge(actor=request.user, challenge=challenge, reason=data["reason"]),
        success="The peer challenge has been cancelled. The authority and the team have been told.",
        then=challenge.get_absolute_url(),
    )
    return outcome.response or form_page(
        request,
        outcome.form,
        title="Cancel the peer challenge",
        caption=str(challenge.authority),
        crumbs=challenge_crumbs(challenge, "Cancel"),
        cancel_url=challenge.get_absolute_url(),
        **_planned_only(challenge),
    )


def _site_days(challenge):
    return max(working_days_between(challenge.starts_on, challenge.ends_on) + 1, 1)


@require_http_methods(["GET", "POST"])
def invite(request, pk):
    challenge = _challenge(request, pk)
    require(request.user, "improvement.manage_peerchallenge", challenge)
    regions = list(Region.objects.order_by("name"))
    wanted = request.GET.get("region") or challenge.authority.region.slug
    region = next((r for r in regions if r.slug == wanted), challenge.authority.region)
    candidates = q.team_candidates(challenge, region)
    eligible = [c.user.pk for c in candidates if c.eligible]
    people = (
        User.objects.filter(pk__in=eligible)
        .select_related("authority")
        .order_by(Case(*[When(pk=pk, then=i) for i, pk in enumerate(eligible)], default=len(eligible)))
    )
    year = financial_year(challenge.ends_on)
    given = {c.user.pk: c.given for c in candidates if c.eligible}
    form = InviteForm(posted(request), people=people, given=given, year=year, initial={"days": _site_days(challenge)})
    outcome = submit(
        request,
        form,
        lambda data: services.invite_member(
            actor=request.user, challenge=challenge, user=data["user"], days=data["days"]
        ),
        success=lambda member: f"{member.user} has been invited to the team",
        then=f"{challenge.get_absolute_url()}#team",
    )
    if outcome.response:
        return outcome.response
    return render(
        request,
        "improvement/invite.html",
        {
            "challenge": challenge,
            "form": outcome.form,
            "candidates": candidates,
            "regions": regions,
            "region": region,
            "year": year,
            "title": "Invite someone to the team",
            "crumbs": challenge_crumbs(challenge, "Invite to the team"),
            **_planned_only(challenge),
        },
    )


def _member(request, pk):
    return get_object_or_404(
        PeerChallengeMember.objects.select_related("user", "authority", "peer_challenge__authority__region"),
        pk=pk,
        peer_challenge__in=PeerChallenge.objects.visible_to(request.user).values("pk"),
    )


@require_http_methods(["GET", "POST"])
def answer(request, pk):
    member = _member(request, pk)
    challenge = member.peer_challenge
    require(request.user, "improvement.answer_invitation", member)
    form = AnswerInvitationForm(posted(request))
    outcome = submit(
        request,
        form,
        lambda data: services.answer_invitation(
            actor=request.user, member=member, accept=data["answer"] == "accept", reason=data["reason"]
        ),
        success=lambda m: (
            "You have joined the team" if m.status == m.Status.ACCEPTED else "You have declined the invitation"
        ),
        then=challenge.get_absolute_url(),
    )
    return outcome.response or form_page(
        request,
        outcome.form,
        title="Your invitation to the team",
        caption=str(challenge.authority),
        crumbs=challenge_crumbs(challenge, "Your invitation"),
        cancel_url=challenge.get_absolute_url(),
        lead=f"{challenge.lead} invites you to the peer challenge of {challenge.authority}, on site "
        f"{challenge.starts_on:%-d %B} to {challenge.ends_on:%-d %B %Y}, for {days_text(member.days)} days. The days "
        f"are recorded in the reciprocity ledger as given by {member.authority}.",
        allowed=member.status == member.Status.INVITED and challenge.status == S.PLANNED,
        not_allowed=f"You have answered already: {member.answer_phrase}."
        if member.status != member.Status.INVITED
        else _state(challenge),
    )


@require_http_methods(["GET", "POST"])
def withdraw(request, pk):
    member = _member(request, pk)
    challenge = member.peer_challenge
    require(request.user, "improvement.manage_peerchallenge", challenge)
    form = ConfirmForm(posted(request), button="Take them off the team", warning=True)
    outcome = submit(
        request,
        form,
        lambda data: services.withdraw_member(actor=request.user, member=member),
        success=f"{member.user} is no longer on the team",
        then=f"{challenge.get_absolute_url()}#team",
    )
    return outcome.response or form_page(
        request,
        outcome.form,
        title=f"Take {member.user} off the team?",
        caption=str(challenge.authority),
        crumbs=challenge_crumbs(challenge, "Change the team"),
        cancel_url=challenge.get_absolute_url(),
        **_planned_only(challenge),
    )


@require_http_methods(["GET", "POST"])
def finding(request, pk, area_pk):
    challenge = _challenge(request, pk)
    require(request.user, "improvement.write_finding", challenge)
    area = get_object_or_404(FrameworkArea, pk=area_pk, framework_id=challenge.self_assessment.framework_id)
    existing = next((f for f in challenge.findings.all() if f.area_id == area.pk), None)
    own = challenge.self_assessment.answers.filter(area=area).select_related("judgement").first()
    initial = {}
    if existing is not None:
        initial = {
            "judgement": existing.judgement_id,
            "strengths": existing.strengths,
            "areas_for_improvement": existing.areas_for_improvement,
            "reasons": existing.reasons,
            "lock_version": existing.lock_version,
        }
    form = FindingForm(posted(request), initial=initial, area=area)

    def stale(error):
        existing.refresh_from_db()
        latest = [
            ("Judgement", str(existing.judgement)),
            ("Strengths", existing.strengths),
            ("Areas for improvement", existing.areas_for_improvement),
            ("Reasons", existing.reasons),
        ]
        return rebind(
            FindingForm, request, error, version_field="lock_version", version=existing.lock_version, area=area
        ), latest

    outcome = submit(
        request,
        form,
        lambda data: services.write_finding(actor=request.user, challenge=challenge, area=area, **data),
        success=f"The finding on “{area}” has been saved",
        then=f"{challenge.get_absolute_url()}#area-{area.pk}",
        on_stale=stale,
    )
    return outcome.response or form_page(
        request,
        outcome.form,
        title=f"Finding: {area}",
        caption=f"Peer challenge of {challenge.authority}",
        crumbs=challenge_crumbs(challenge, str(area)),
        cancel_url=challenge.get_absolute_url(),
        latest=outcome.latest,
        template="improvement/finding.html",
        area=area,
        own=own,
        **_planned_only(challenge),
    )


@require_http_methods(["GET", "POST"])
def send_findings(request, pk):
    challenge = _challenge(request, pk)
    require(request.user, "improvement.manage_peerchallenge", challenge)
    form = ConfirmForm(posted(request), button="Send the findings")
    outcome = submit(
        request,
        form,
        lambda data: services.send_findings(actor=request.user, challenge=challenge),
        success=lambda c: (
            f"The findings have been sent to {c.authority}. Their response is due by {c.response_due:%-d %B %Y}."
        ),
        then=challenge.get_absolute_url(),
    )
    return outcome.response or form_page(
        request,
        outcome.form,
        title="Send the findings to the authority",
        caption=str(challenge.authority),
        crumbs=challenge_crumbs(challenge, "Send the findings"),
        cancel_url=challenge.get_absolute_url(),
        lead=f"{challenge.authority} will have 5 working days to respond. The days each team member gave are "
        "recorded in the reciprocity ledger.",
        **_planned_only(challenge),
    )


@require_http_methods(["GET", "POST"])
def respond(request, pk):
    challenge = _challenge(request, pk)
    require(request.user, "improvement.respond_peerchallenge", challenge)
    findings = list(challenge.findings.all())
    form = RespondForm(posted(request), findings=findings)
    outcome = submit(
        request,
        form,
        lambda data: services.respond_to_findings(
            actor=request.user,
            challenge=challenge,
            response=data["response"],
            finding_responses=form.finding_responses(),
        ),
        success="Your response has been sent to the peer challenge team",
        then=challenge.get_absolute_url(),
    )
    return outcome.response or form_page(
        request,
        outcome.form,
        title="Respond to the findings",
        caption=str(challenge.authority),
        crumbs=challenge_crumbs(challenge, "Respond to the findings"),
        cancel_url=challenge.get_absolute_url(),
        lead=f"Your response is due by {challenge.response_due:%-d %B %Y}." if challenge.response_due else "",
        template="improvement/respond.html",
        rows=q.finding_rows(challenge) if challenge.findings_released else [],
        allowed=challenge.status == S.FINDINGS_SENT,
        not_allowed=_state(challenge),
    )


@require_http_methods(["GET", "POST"])
def letter(request, pk):
    challenge = _challenge(request, pk)
    require(request.user, "improvement.manage_peerchallenge", challenge)
    draft = render_to_string(
        "improvement/letter_draft.txt",
        {"challenge": challenge, "authority": challenge.authority, "rows": q.finding_rows(challenge)},
    ).strip()
    form = LetterForm(posted(request), initial={"letter": draft})
    outcome = submit(
        request,
        form,
        lambda data: services.issue_letter(actor=request.user, challenge=challenge, letter=data["letter"]),
        success="The letter has been issued. Its PDF is being prepared and will be sent to the authority and the team.",
        then=challenge.get_absolute_url(),
    )
    return outcome.response or form_page(
        request,
        outcome.form,
        title="Write and issue the final letter",
        caption=str(challenge.authority),
        crumbs=challenge_crumbs(challenge, "The final letter"),
        cancel_url=challenge.get_absolute_url(),
        lead=f"The letter is due by {challenge.letter_due:%-d %B %Y}. The PDF adds the team's findings, the "
        "authority's response and the team."
        if challenge.letter_due
        else "",
        allowed=challenge.status in (S.RESPONDED, S.NO_RESPONSE),
        not_allowed=_state(challenge),
    )


@require_GET
def letter_pdf(request, pk):
    challenge = _challenge(request, pk)
    if challenge.status != S.LETTER_ISSUED or not challenge.letter_pdf:
        raise Http404("The letter is not ready yet")
    try:
        handle = challenge.letter_pdf.open("rb")
    except FileNotFoundError as error:
        raise Http404("The letter's file is missing") from error
    name = f"peer-challenge-letter-{slugify(challenge.authority.name)}-{challenge.starts_on:%Y-%m}.pdf"
    return FileResponse(handle, as_attachment=True, filename=name, content_type="application/pdf")


urlpatterns = [
    path("self-assessments/<int:pk>/peer-challenge/", create, name="challenge_create"),
    path("peer-challenges/<int:pk>/", detail, name="challenge"),
    path("peer-challenges/<int:pk>/cancel/", cancel, name="challenge_cancel"),
    path("peer-challenges/<int:pk>/team/invite/", invite, name="member_invite"),
    path("peer-challenges/<int:pk>/findings/<int:area_pk>/", finding, name="finding"),
    path("peer-challenges/<int:pk>/send-findings/", send_findings, name="findings_send"),
    path("peer-challenges/<int:pk>/respond/", respond, name="respond"),
    path("peer-challenges/<int:pk>/letter/", letter, name="letter_issue"),
    path("peer-challenges/<int:pk>/letter.pdf", letter_pdf, name="letter_pdf"),
    path("team/<int:pk>/answer/", answer, name="member_answer"),
    path("team/<int:pk>/withdraw/", withdraw, name="member_withdraw"),
]
