"""The peer challenge services: who sets one up, who may join the team (conflicts), findings, the
ledger entries when findings are sent, the authority's response on the working-day clock, and the
final letter with its PDF."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from accounts.models import OutboundEmail, Role
from core.errors import ServiceError, StaleEditError
from improvement import services
from improvement.models import PeerChallenge, PeerChallengeMember, ReciprocityEntry
from tests.accounts.factories import UserFactory
from tests.authorities.factories import LocalAuthorityFactory
from tests.improvement import factories as f

pytestmark = pytest.mark.django_db
S = PeerChallenge.Status
M = PeerChallengeMember.Status


@pytest.fixture
def north_east(world):
    """Gateshead's and Sunderland's DCSs (Sunderland's the regional lead) and Newcastle's shared
    self-assessment."""
    gateshead_dcs = f.dcs_of(world.gateshead, full_name="Grace Hallam")
    sunderland, sunderland_dcs = f.authority_with_dcs("Sunderland", "E08000024", world.ne, full_name="Sunil Reddy")
    f.make_lead(sunderland_dcs)
    sa = f.self_assessment(world.newcastle, shared=True)
    return {"gateshead": gateshead_dcs, "sunderland": sunderland, "lead": sunderland_dcs, "sa": sa}


def set_up(north_east, **kwargs):
    kwargs.setdefault("starts_on", f.STARTS)
    kwargs.setdefault("ends_on", f.ENDS)
    return services.set_up_peer_challenge(actor=north_east["lead"], self_assessment=north_east["sa"], **kwargs)


def test_a_regional_lead_of_the_region_sets_up_a_challenge_of_a_shared_self_assessment(world, north_east):
    with pytest.raises(PermissionDenied):  # a DCS who is not a regional lead
        services.set_up_peer_challenge(
            actor=north_east["gateshead"], self_assessment=north_east["sa"], starts_on=f.STARTS, ends_on=f.ENDS
        )
    f.make_lead(world.dcs_other)
    with pytest.raises(PermissionDenied):  # a regional lead of another region
        services.set_up_peer_challenge(
            actor=world.dcs_other, self_assessment=north_east["sa"], starts_on=f.STARTS, ends_on=f.ENDS
        )
    f.make_lead(world.dcs)
    with pytest.raises(PermissionDenied):  # never of their own authority
        services.set_up_peer_challenge(
            actor=world.dcs, self_assessment=north_east["sa"], starts_on=f.STARTS, ends_on=f.ENDS
        )
    with pytest.raises(ServiceError, match="same as or after"):
        set_up(north_east, starts_on=f.ENDS, ends_on=f.STARTS)

    challenge = set_up(north_east, focus="Safeguarding practice")

    assert challenge.status == S.PLANNED
    assert challenge.lead == north_east["lead"]
    assert challenge.authority == world.newcastle
    assert OutboundEmail.objects.filter(key=f"challenge-planned:{challenge.pk}", recipient=world.dcs.email).exists()
    with pytest.raises(ServiceError, match="already a peer challenge"):
        set_up(north_east)


def test_a_draft_self_assessment_cannot_be_challenged(world, north_east):
    draft = f.self_assessment(world.gateshead)
    lead = f.make_lead(world.admin)
    with pytest.raises(ServiceError, match="not shared"):
        services.set_up_peer_challenge(actor=lead, self_assessment=draft, starts_on=f.STARTS, ends_on=f.ENDS)


def test_invitations_refuse_the_authority_itself_and_conflicts(world, north_east):
    challenge = set_up(north_east)
    lead = north_east["lead"]
    with pytest.raises(ServiceError, match="authority being challenged"):
        services.invite_member(actor=lead, challenge=challenge, user=world.la_officer, days=3)
    with pytest.raises(ServiceError, match="Director of Children's Services or a senior officer"):
        services.invite_member(actor=lead, challenge=challenge, user=world.csa, days=3)
    with pytest.raises(PermissionDenied):
        services.invite_member(actor=world.dcs, challenge=challenge, user=world.dcs_other, days=3)

    member = services.invite_member(actor=lead, challenge=challenge, user=north_east["gateshead"], days=3)
    assert member.status == M.INVITED
    assert member.authority == world.gateshead
    assert OutboundEmail.objects.filter(
        recipient=north_east["gateshead"].email, subject__startswith="Invitation"
    ).exists()

    colleague = UserFactory(email="officer@gateshead.example.gov.uk", role=Role.LA_OFFICER, authority=world.gateshead)
    with pytest.raises(ServiceError, match="already on this team"):
        services.invite_member(actor=lead, challenge=challenge, user=colleague, days=2)
    with pytest.raises(ServiceError, match="already invited"):
        services.invite_member(actor=lead, challenge=challenge, user=north_east["gateshead"], days=3)
    with pytest.raises(ServiceError, match="half days"):
        services.invite_member(actor=lead, challenge=challenge, user=world.dcs_other, days="1.3")


def test_recent_teams_are_conflicts_both_ways(world, north_east):
    """Leeds was on the team that challenged Newcastle last year: nobody from Leeds joins Newcastle's
    team now; and Newcastle's people, who challenged Gateshead, do not challenge Gateshead back."""
    lead = f.make_lead(world.admin)
    earlier = f.challenge(
        f.self_assessment(world.newcastle, year="2025-26", shared=True),
        lead,
        status=S.LETTER_ISSUED,
        starts_on=date(2025, 10, 6),
        ends_on=date(2025, 10, 8),
    )
    f.member(earlier, world.dcs_other)
    leeds_officer = UserFactory(email="officer@leeds.example.gov.uk", role=Role.LA_OFFICER, authority=world.leeds)
    challenge = set_up(north_east)
    with pytest.raises(
        ServiceError, match="Leeds .* was on the team that challenged Newcastle upon Tyne in October 2025"
    ):
        services.invite_member(actor=lead, challenge=challenge, user=leeds_officer, days=3)

    gateshead_sa = f.self_assessment(world.gateshead, shared=True)
    by_newcastle = f.challenge(
        f.self_assessment(world.gateshead, year="2025-26", shared=True),
        lead,
        status=S.LETTER_ISSUED,
        starts_on=date(2025, 6, 2),
        ends_on=date(2025, 6, 3),
    )
    f.member(by_newcastle, world.dcs)
    gateshead = f.challenge(gateshead_sa, lead, starts_on=date(2026, 12, 7), ends_on=date(2026, 12, 8))
    with pytest.raises(ServiceError, match="Newcastle upon Tyne .* was on the team that challenged Gateshead"):
        services.invite_member(actor=lead, challenge=gateshead, user=world.la_officer, days=3)

    # Four years on, it is no longer recent.
    old = f.challenge(
        f.self_assessment(world.gateshead, year="2021-22", shared=True),
        lead,
        status=S.LETTER_ISSUED,
        starts_on=date(2021, 6, 2),
        ends_on=date(2021, 6, 3),
    )
    f.member(old, world.dcs_other)
    assert services.invite_member(actor=lead, challenge=gateshead, user=world.dcs_other, days=2)


def test_the_invitee_answers_and_only_they_can(world, north_east):
    challenge = set_up(north_east)
    member = services.invite_member(actor=north_east["lead"], challenge=challenge, user=world.dcs_other, days=2)
    with pytest.raises(PermissionDenied):
        services.answer_invitation(actor=north_east["lead"], member=member, accept=True)
    declined = services.answer_invitation(actor=world.dcs_other, member=member, accept=False, reason="Ofsted visit")
    assert declined.status == M.DECLINED
    assert declined.decline_reason == "Ofsted visit"
    assert OutboundEmail.objects.filter(recipient=north_east["lead"].email, subject__contains="declined").exists()
    with pytest.raises(ServiceError, match="you declined"):
        services.answer_invitation(actor=world.dcs_other, member=member, accept=True)
    again = services.invite_member(actor=north_east["lead"], challenge=challenge, user=world.dcs_other, days=3)
    assert again.pk == member.pk
    assert again.status == M.INVITED
    assert services.answer_invitation(actor=world.dcs_other, member=again, accept=True).status == M.ACCEPTED


def test_findings_are_written_by_the_team_with_reasons_when_they_differ(world, north_east):
    challenge = set_up(north_east)
    invited = services.invite_member(actor=north_east["lead"], challenge=challenge, user=world.dcs_other, days=2)
    safeguarding = f.areas()[1]
    with pytest.raises(PermissionDenied):  # invited, not yet on the team
        services.write_finding(
            actor=world.dcs_other,
            challenge=challenge,
            area=safeguarding,
            judgement=f.level(safeguarding),
            strengths="x",
        )
    services.answer_invitation(actor=world.dcs_other, member=invited, accept=True)
    with pytest.raises(ServiceError, match="reasons"):
        services.write_finding(
            actor=world.dcs_other,
            challenge=challenge,
            area=safeguarding,
            judgement=f.level(safeguarding, 3),
            strengths="Committed staff",
        )
    finding = services.write_finding(
        actor=world.dcs_other,
        challenge=challenge,
        area=safeguarding,
        judgement=f.level(safeguarding, 3),
        strengths="Committed staff",
        areas_for_improvement="- Audits do not drive practice\n\n* Supervision is not recorded",
        reasons="The case files show variable practice",
    )
    assert finding.improvement_points == ["Audits do not drive practice", "Supervision is not recorded"]
    with pytest.raises(StaleEditError):
        services.write_finding(
            actor=north_east["lead"],
            challenge=challenge,
            area=safeguarding,
            judgement=f.level(safeguarding),
            strengths="Edited",
            lock_version=5,
        )
    edited = services.write_finding(
        actor=north_east["lead"],
        challenge=challenge,
        area=safeguarding,
        judgement=f.level(safeguarding),
        strengths="Edited",
        lock_version=0,
    )
    assert edited.pk == finding.pk
    assert edited.judgement.label == "Good"
    assert edited.strengths == "Edited"
    assert edited.history.count() == 2
    with pytest.raises(PermissionDenied):
        services.write_finding(
            actor=world.dcs, challenge=challenge, area=safeguarding, judgement=f.level(safeguarding), strengths="x"
        )


def ready(north_east, world):
    challenge = set_up(north_east)
    for person in (north_east["gateshead"], north_east["lead"]):
        member = services.invite_member(actor=north_east["lead"], challenge=challenge, user=person, days="2.5")
        services.answer_invitation(actor=person, member=member, accept=True)
    f.findings(challenge)
    return challenge


def test_sending_the_findings_starts_the_clock_and_fills_the_ledger(world, north_east):
    challenge = set_up(north_east)
    with pytest.raises(ServiceError, match="nobody on it"):
        services.send_findings(actor=north_east["lead"], challenge=challenge)
    for person in (north_east["gateshead"], north_east["lead"]):
        member = services.invite_member(actor=north_east["lead"], challenge=challenge, user=person, days="2.5")
        services.answer_invitation(actor=person, member=member, accept=True)
    pending = services.invite_member(actor=north_east["lead"], challenge=challenge, user=world.dcs_other, days=1)
    with pytest.raises(ServiceError, match="Wait for every invitation"):
        services.send_findings(actor=north_east["lead"], challenge=challenge)
    services.withdraw_member(actor=north_east["lead"], member=pending)
    with pytest.raises(ServiceError, match="Still to do: Outcomes"):
        services.send_findings(actor=north_east["lead"], challenge=challenge)
    f.findings(challenge)

    # Sent on Wednesday 23 December 2026: Christmas Day, the Boxing Day substitute (Monday 28th) and New
    # Year's Day are not working days, so the fifth working day is Monday 4 January 2027.
    sent = services.send_findings(actor=north_east["lead"], challenge=challenge, today=date(2026, 12, 23))

    assert sent.status == S.FINDINGS_SENT
    assert sent.response_due == date(2027, 1, 4)
    ledger = set(
        ReciprocityEntry.objects.values_list(
            "person__email", "giving_authority__name", "receiving_authority__name", "days", "year", "given_on"
        )
    )
    assert ledger == {
        (north_east["gateshead"].email, "Gateshead", "Newcastle upon Tyne", Decimal("2.5"), "2026-27", f.ENDS),
        (north_east["lead"].email, "Sunderland", "Newcastle upon Tyne", Decimal("2.5"), "2026-27", f.ENDS),
    }
    assert OutboundEmail.objects.filter(key=f"challenge-findings:{challenge.pk}", recipient=world.dcs.email).exists()
    assert OutboundEmail.objects.filter(
        key=f"challenge-findings:{challenge.pk}", recipient=world.la_officer.email
    ).exists()
    with pytest.raises(ServiceError, match="findings have been sent"):
        services.write_finding(
            actor=north_east["lead"],
            challenge=challenge,
            area=f.areas()[0],
            judgement=f.level(f.areas()[0]),
            strengths="Late",
            lock_version=0,
        )


def test_the_authority_responds_within_five_working_days_and_the_letter_is_due_five_after(world, north_east):
    challenge = ready(north_east, world)
    services.send_findings(actor=north_east["lead"], challenge=challenge, today=date(2026, 12, 23))
    safeguarding = challenge.findings.get(area__order=2)
    with pytest.raises(PermissionDenied):
        services.respond_to_findings(actor=north_east["gateshead"], challenge=challenge, response="Fine")
    with pytest.raises(ServiceError, match="closed on 4 January 2027"):
        services.respond_to_findings(actor=world.dcs, challenge=challenge, response="Late", today=date(2027, 1, 5))
    with pytest.raises(ServiceError, match="Enter the authority's response"):
        services.respond_to_findings(actor=world.dcs, challenge=challenge, response="  ")

    responded = services.respond_to_findings(
        actor=world.la_officer,
        challenge=challenge,
        response="We accept the findings",
        finding_responses={safeguarding.pk: "Our audit programme starts in January"},
        today=date(2027, 1, 4),
    )

    assert responded.status == S.RESPONDED
    assert responded.letter_due == date(2027, 1, 11)
    assert responded.responded_by == world.la_officer
    safeguarding.refresh_from_db()
    assert safeguarding.response == "Our audit programme starts in January"
    assert OutboundEmail.objects.filter(
        key=f"challenge-response:{challenge.pk}", recipient=north_east["lead"].email
    ).exists()


def test_the_letter_is_issued_and_its_pdf_rendered_once(
    world, north_east, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    challenge = ready(north_east, world)
    services.send_findings(actor=north_east["lead"], challenge=challenge, today=date(2026, 12, 23))
    with pytest.raises(ServiceError, match="findings have been sent"):
        services.issue_letter(actor=north_east["lead"], challenge=challenge, letter="Too early")
    services.respond_to_findings(actor=world.dcs, challenge=challenge, response="Accepted", today=date(2026, 12, 24))
    with pytest.raises(PermissionDenied):
        services.issue_letter(actor=north_east["gateshead"], challenge=challenge, letter="Not the lead")

    with django_capture_on_commit_callbacks(execute=True):
        services.issue_letter(actor=north_east["lead"], challenge=challenge, letter="Dear Sam,\n\nThank you.")

    challenge.refresh_from_db()
    assert challenge.status == S.LETTER_ISSUED
    assert challenge.letter_pdf
    data = challenge.letter_pdf.read()
    assert data.startswith(b"%PDF-")
    import hashlib

    assert challenge.letter_pdf_sha256 == hashlib.sha256(data).hexdigest()
    sent_to = set(
        OutboundEmail.objects.filter(key=f"challenge-letter:{challenge.pk}").values_list("recipient", flat=True)
    )
    assert sent_to == {world.dcs.email, world.la_officer.email, north_east["gateshead"].email, north_east["lead"].email}

    again = services.publish_letter_pdf(challenge_id=challenge.pk)
    assert again.letter_pdf.name == challenge.letter_pdf.name
    assert again.letter_pdf_sha256 == challenge.letter_pdf_sha256
    assert OutboundEmail.objects.filter(key=f"challenge-letter:{challenge.pk}").count() == 4


def test_cancel_and_withdraw_only_while_planned(world, north_east):
    challenge = set_up(north_east)
    member = services.invite_member(actor=north_east["lead"], challenge=challenge, user=world.dcs_other, days=2)
    with pytest.raises(PermissionDenied):
        services.withdraw_member(actor=world.dcs_other, member=member)
    services.withdraw_member(actor=north_east["lead"], member=member)
    assert PeerChallengeMember.objects.get(pk=member.pk).status == M.WITHDRAWN
    with pytest.raises(ServiceError, match="Enter why"):
        services.cancel_peer_challenge(actor=north_east["lead"], challenge=challenge, reason="")
    cancelled = services.cancel_peer_challenge(actor=north_east["lead"], challenge=challenge, reason="Snow")
    assert cancelled.status == S.CANCELLED
    assert OutboundEmail.objects.filter(key=f"challenge-cancelled:{challenge.pk}", recipient=world.dcs.email).exists()
    with pytest.raises(ServiceError, match="was cancelled"):
        services.invite_member(actor=north_east["lead"], challenge=challenge, user=world.dcs_other, days=2)
    # A cancelled challenge leaves the self-assessment free for another.
    assert set_up(north_east).status == S.PLANNED


def test_who_sees_a_peer_challenge_follows_its_state(world, north_east):
    challenge = set_up(north_east)
    member = services.invite_member(actor=north_east["lead"], challenge=challenge, user=world.dcs_other, days=2)

    def seen():
        return {r for r in world.users if PeerChallenge.objects.visible_to(world.users[r]).filter(pk=challenge.pk)}

    assert seen() == {"dcs", "la_officer", "dcs_other"}
    services.answer_invitation(actor=world.dcs_other, member=member, accept=False)
    assert seen() == {"dcs", "la_officer"}
    challenge.status = S.LETTER_ISSUED
    challenge.save()
    assert seen() == {"dcs", "la_officer", "csa", "go_director", "national", "admin"}
    assert north_east["lead"] in [
        u for u in [north_east["lead"]] if PeerChallenge.objects.visible_to(u).filter(pk=challenge.pk)
    ]
    elsewhere = LocalAuthorityFactory(name="Bradford", gss_code="E08000032", region=world.yh)
    assert not PeerChallenge.objects.visible_to(north_east["lead"]).filter(authority=elsewhere).exists()
