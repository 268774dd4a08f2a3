"""Sector-led improvement: every page and action for every role.

The cast on the ``world``: Newcastle's DCS (``dcs``) and officer (``la_officer``) are the authority;
the system administrator (``admin``) is made a regional lead (of every region) where a case needs
one; Leeds' DCS (``dcs_other``) is the peer on the team (or only invited, or not on it); Newcastle's
lead CSA (``csa``) is the broker. A draft self-assessment is the authority's alone; a team member
sees the self-assessment they test, other DCSs do not.
"""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from improvement.models import (
    Brokerage,
    Evidence,
    InspectionRecord,
    PeerChallenge,
    PeerChallengeMember,
    SelfAssessment,
)
from tests.improvement import factories as f
from tests.matrix import Case, everyone

S = PeerChallenge.Status
M = PeerChallengeMember.Status
AUTHORITY = {"dcs": 200, "la_officer": 200}
NOT_PROVIDERS = everyone(200, provider=403, provider_other=403)


def _lead(w):
    return f.make_lead(w.admin)


def draft(w):
    return {"sa": f.self_assessment(w.newcastle)}


def shared(w):
    _lead(w)
    return {"sa": f.self_assessment(w.newcastle, shared=True)}


def with_evidence(w):
    objects = draft(w)
    from django.core.files.base import ContentFile

    evidence = Evidence(
        self_assessment=objects["sa"],
        title="Case file audit",
        original_name="audit.pdf",
        content_type="application/pdf",
        size=len(f.PDF),
    )
    evidence.file.save("matrix-audit.pdf", ContentFile(f.PDF), save=False)
    evidence.save()
    return {**objects, "evidence": evidence}


def planned(team=M.ACCEPTED, findings=False):
    def setup(w):
        objects = shared(w)
        challenge = f.challenge(objects["sa"], w.admin)
        member = f.member(challenge, w.dcs_other, status=team) if team else None
        if findings:
            f.findings(challenge)
        return {**objects, "challenge": challenge, "member": member}

    return setup


def at(status, **fields):
    def setup(w):
        objects = planned()(w)
        challenge = objects["challenge"]
        f.findings(challenge)
        challenge.status = status
        challenge.response_due = date(2099, 1, 1)
        challenge.letter_due = date(2099, 1, 8)
        for name, value in fields.items():
            setattr(challenge, name, value)
        challenge.save()
        if status == S.LETTER_ISSUED:
            f.issued(challenge)
        return objects

    return setup


def brokered(w):
    objects = at(S.LETTER_ISSUED)(w)
    return {**objects, "brokerage": f.brokerage(objects["challenge"], w.csa)}


def inspected(w):
    f.framework_provider(w.tfc)
    return {"inspection": f.inspection(w.newcastle)}


def issued_with_framework(w):
    objects = at(S.LETTER_ISSUED)(w)
    f.framework_provider(w.tfc)
    return objects


def sa_url(name):
    return lambda w, o: reverse(name, args=[o["sa"].pk])


def challenge_url(name):
    return lambda w, o: reverse(name, args=[o["challenge"].pk])


def status_is(expected, *, roles):
    def then(w, o, role, response):
        if role in roles:
            o["challenge"].refresh_from_db()
            assert o["challenge"].status == expected, f"{role}: {o['challenge'].status}"

    return then


def area_answer(o):
    return o["sa"].answers.order_by("area__order").first()


SEEN_WHILE_PLANNED = {"dcs": 200, "la_officer": 200, "dcs_other": 200, "admin": 200}
SEEN_ISSUED = {**SEEN_WHILE_PLANNED, "csa": 200, "go_director": 200, "national": 200}


def only(statuses, allowed, status, others=403):
    """``allowed`` roles get ``status``; the other roles in ``statuses`` (who can see it) get ``others``."""
    expect = {role: others for role in statuses}
    expect.update({role: status for role in allowed})
    return expect


CASES = [
    # --- the hub, the ledger, the overview, regional leads ------------------------------------------
    Case("improvement hub", "improvement:index", lambda w, o: reverse("improvement:index"), NOT_PROVIDERS),
    Case("reciprocity ledger", "improvement:ledger", lambda w, o: reverse("improvement:ledger"), NOT_PROVIDERS),
    Case(
        "reciprocity ledger (a region and a year)",
        "improvement:ledger",
        lambda w, o: reverse("improvement:ledger") + "?year=2025-26&region=north-east",
        NOT_PROVIDERS,
    ),
    Case("improvement overview", "improvement:overview", lambda w, o: reverse("improvement:overview"), NOT_PROVIDERS),
    Case(
        "regional leads",
        "improvement:regional_leads",
        lambda w, o: reverse("improvement:regional_leads"),
        NOT_PROVIDERS,
    ),
    Case(
        "appoint a regional lead POST",
        "improvement:regional_leads",
        lambda w, o: reverse("improvement:regional_leads"),
        everyone(403, admin=302),
        method="post",
        data=lambda w, o: {"user": w.dcs.pk},
        then=lambda w, o, role, r: role != "admin" or w.dcs.__class__.objects.get(pk=w.dcs.pk).is_regional_lead,
    ),
    Case(
        "stand down a regional lead",
        "improvement:regional_lead_stand_down",
        lambda w, o: reverse("improvement:regional_lead_stand_down", args=[w.dcs_other.pk]),
        everyone(403, admin=200),
        setup=lambda w: {"lead": f.make_lead(w.dcs_other)},
    ),
    Case(
        "stand down a regional lead POST",
        "improvement:regional_lead_stand_down",
        lambda w, o: reverse("improvement:regional_lead_stand_down", args=[w.dcs_other.pk]),
        everyone(403, admin=302),
        method="post",
        setup=lambda w: {"lead": f.make_lead(w.dcs_other)},
    ),
    Case(
        "stand down someone who is not a regional lead",
        "improvement:regional_lead_stand_down",
        lambda w, o: reverse("improvement:regional_lead_stand_down", args=[w.dcs.pk]),
        everyone(404, provider=403, provider_other=403),
    ),
    # --- self-assessments ---------------------------------------------------------------------------
    Case(
        "start a self-assessment",
        "improvement:self_assessment_start",
        lambda w, o: reverse("improvement:self_assessment_start"),
        everyone(403, dcs=200, la_officer=200, dcs_other=200),
    ),
    Case(
        "start a self-assessment POST",
        "improvement:self_assessment_start",
        lambda w, o: reverse("improvement:self_assessment_start"),
        everyone(403, dcs=302, la_officer=302, dcs_other=302),
        method="post",
        data=lambda w, o: {"year": "2026-27"},
    ),
    Case(
        "draft self-assessment",
        "improvement:self_assessment",
        sa_url("improvement:self_assessment"),
        AUTHORITY,
        setup=draft,
    ),
    Case(
        "shared self-assessment (no team yet)",
        "improvement:self_assessment",
        sa_url("improvement:self_assessment"),
        {**AUTHORITY, "admin": 200},
        setup=shared,
    ),
    Case(
        "shared self-assessment (Leeds' DCS on the team)",
        "improvement:self_assessment",
        sa_url("improvement:self_assessment"),
        {**AUTHORITY, "admin": 200, "dcs_other": 200},
        setup=planned(),
    ),
    Case(
        "shared self-assessment (Leeds' DCS only invited)",
        "improvement:self_assessment",
        sa_url("improvement:self_assessment"),
        {**AUTHORITY, "admin": 200},
        setup=planned(team=M.INVITED),
    ),
    Case(
        "self-evaluation",
        "improvement:self_assessment_summary",
        sa_url("improvement:self_assessment_summary"),
        AUTHORITY,
        setup=draft,
    ),
    Case(
        "self-evaluation POST",
        "improvement:self_assessment_summary",
        sa_url("improvement:self_assessment_summary"),
        {"dcs": 302, "la_officer": 302},
        method="post",
        setup=draft,
        data=lambda w, o: {"summary": "We know ourselves", "lock_version": 0},
    ),
    Case(
        "self-evaluation of a shared self-assessment",
        "improvement:self_assessment_summary",
        sa_url("improvement:self_assessment_summary"),
        {**AUTHORITY, "admin": 403, "dcs_other": 403},
        setup=planned(),
    ),
    Case(
        "an area of the self-assessment",
        "improvement:self_assessment_area",
        lambda w, o: reverse("improvement:self_assessment_area", args=[area_answer(o).pk]),
        AUTHORITY,
        setup=draft,
    ),
    Case(
        "an area of the self-assessment POST",
        "improvement:self_assessment_area",
        lambda w, o: reverse("improvement:self_assessment_area", args=[area_answer(o).pk]),
        {"dcs": 302, "la_officer": 302},
        method="post",
        setup=draft,
        data=lambda w, o: {"judgement": f.level(area_answer(o).area, 1).pk, "evidence": "Shown", "lock_version": 0},
    ),
    Case(
        "local profile",
        "improvement:self_assessment_profile",
        sa_url("improvement:self_assessment_profile"),
        AUTHORITY,
        setup=draft,
    ),
    Case(
        "local profile POST",
        "improvement:self_assessment_profile",
        sa_url("improvement:self_assessment_profile"),
        {"dcs": 302, "la_officer": 302},
        method="post",
        setup=draft,
    ),
    Case("add evidence", "improvement:evidence_add", sa_url("improvement:evidence_add"), AUTHORITY, setup=draft),
    Case(
        "add evidence POST",
        "improvement:evidence_add",
        sa_url("improvement:evidence_add"),
        {"dcs": 302, "la_officer": 302},
        method="post",
        setup=draft,
        data=lambda w, o: {"title": "Audit", "file": SimpleUploadedFile("audit.pdf", f.PDF)},
        then=lambda w, o, role, r: role not in AUTHORITY or Evidence.objects.filter(title="Audit").exists(),
    ),
    Case(
        "evidence document",
        "improvement:evidence_download",
        lambda w, o: reverse("improvement:evidence_download", args=[o["evidence"].pk]),
        AUTHORITY,
        setup=with_evidence,
    ),
    Case(
        "remove evidence",
        "improvement:evidence_remove",
        lambda w, o: reverse("improvement:evidence_remove", args=[o["evidence"].pk]),
        AUTHORITY,
        setup=with_evidence,
    ),
    Case(
        "remove evidence POST",
        "improvement:evidence_remove",
        lambda w, o: reverse("improvement:evidence_remove", args=[o["evidence"].pk]),
        {"dcs": 302, "la_officer": 302},
        method="post",
        setup=with_evidence,
    ),
    Case(
        "share the self-assessment",
        "improvement:self_assessment_share",
        sa_url("improvement:self_assessment_share"),
        {"dcs": 200, "la_officer": 403},
        setup=draft,
    ),
    Case(
        "share the self-assessment POST",
        "improvement:self_assessment_share",
        sa_url("improvement:self_assessment_share"),
        {"dcs": 302, "la_officer": 403},
        method="post",
        setup=draft,
        then=lambda w, o, role, r: (
            role != "dcs" or SelfAssessment.objects.get(pk=o["sa"].pk).status == SelfAssessment.Status.SHARED
        ),
    ),
    # --- setting up a peer challenge and its team -----------------------------------------------------
    Case(
        "set up a peer challenge",
        "improvement:challenge_create",
        sa_url("improvement:challenge_create"),
        {"dcs": 403, "la_officer": 403, "admin": 200},
        setup=shared,
    ),
    Case(
        "set up a peer challenge of a draft",
        "improvement:challenge_create",
        sa_url("improvement:challenge_create"),
        {"dcs": 403, "la_officer": 403},
        setup=lambda w: {**draft(w), "lead": _lead(w)},
    ),
    Case(
        "set up a peer challenge POST",
        "improvement:challenge_create",
        sa_url("improvement:challenge_create"),
        {"dcs": 403, "la_officer": 403, "admin": 302},
        method="post",
        setup=shared,
        data=lambda w, o: {"starts_on": "16/11/2026", "ends_on": "18/11/2026", "focus": "Safeguarding"},
        then=lambda w, o, role, r: role != "admin" or PeerChallenge.objects.filter(self_assessment=o["sa"]).exists(),
    ),
    Case(
        "peer challenge (planned)",
        "improvement:challenge",
        challenge_url("improvement:challenge"),
        SEEN_WHILE_PLANNED,
        setup=planned(),
    ),
    Case(
        "peer challenge (Leeds' DCS invited)",
        "improvement:challenge",
        challenge_url("improvement:challenge"),
        SEEN_WHILE_PLANNED,
        setup=planned(team=M.INVITED),
    ),
    Case(
        "peer challenge (Leeds' DCS declined)",
        "improvement:challenge",
        challenge_url("improvement:challenge"),
        {**AUTHORITY, "admin": 200},
        setup=planned(team=M.DECLINED),
    ),
    Case(
        "peer challenge (letter issued)",
        "improvement:challenge",
        challenge_url("improvement:challenge"),
        SEEN_ISSUED,
        setup=at(S.LETTER_ISSUED),
    ),
    Case(
        "cancel the peer challenge",
        "improvement:challenge_cancel",
        challenge_url("improvement:challenge_cancel"),
        only(SEEN_WHILE_PLANNED, ["admin"], 200),
        setup=planned(),
    ),
    Case(
        "cancel the peer challenge POST",
        "improvement:challenge_cancel",
        challenge_url("improvement:challenge_cancel"),
        only(SEEN_WHILE_PLANNED, ["admin"], 302),
        method="post",
        setup=planned(),
        data=lambda w, o: {"reason": "Snow"},
        then=status_is(S.CANCELLED, roles={"admin"}),
    ),
    Case(
        "invite to the team",
        "improvement:member_invite",
        challenge_url("improvement:member_invite"),
        only(SEEN_WHILE_PLANNED, ["admin"], 200),
        setup=planned(),
    ),
    Case(
        "invite to the team (another region's people)",
        "improvement:member_invite",
        lambda w, o: (
            reverse("improvement:member_invite", args=[o["challenge"].pk]) + "?region=yorkshire-and-the-humber"
        ),
        {"dcs": 403, "la_officer": 403, "admin": 200},
        setup=planned(team=None),
    ),
    Case(
        "invite to the team POST",
        "improvement:member_invite",
        lambda w, o: (
            reverse("improvement:member_invite", args=[o["challenge"].pk]) + "?region=yorkshire-and-the-humber"
        ),
        {"dcs": 403, "la_officer": 403, "admin": 302},
        method="post",
        setup=planned(team=None),
        data=lambda w, o: {"user": w.dcs_other.pk, "days": "3"},
        then=lambda w, o, role, r: (
            role != "admin" or PeerChallengeMember.objects.get(peer_challenge=o["challenge"]).user == w.dcs_other
        ),
    ),
    Case(
        "answer an invitation",
        "improvement:member_answer",
        lambda w, o: reverse("improvement:member_answer", args=[o["member"].pk]),
        only(SEEN_WHILE_PLANNED, ["dcs_other"], 200),
        setup=planned(team=M.INVITED),
    ),
    Case(
        "answer an invitation POST",
        "improvement:member_answer",
        lambda w, o: reverse("improvement:member_answer", args=[o["member"].pk]),
        only(SEEN_WHILE_PLANNED, ["dcs_other"], 302),
        method="post",
        setup=planned(team=M.INVITED),
        data=lambda w, o: {"answer": "accept"},
        then=lambda w, o, role, r: (
            role != "dcs_other" or PeerChallengeMember.objects.get(pk=o["member"].pk).status == M.ACCEPTED
        ),
    ),
    Case(
        "take someone off the team",
        "improvement:member_withdraw",
        lambda w, o: reverse("improvement:member_withdraw", args=[o["member"].pk]),
        only(SEEN_WHILE_PLANNED, ["admin"], 200),
        setup=planned(),
    ),
    Case(
        "take someone off the team POST",
        "improvement:member_withdraw",
        lambda w, o: reverse("improvement:member_withdraw", args=[o["member"].pk]),
        only(SEEN_WHILE_PLANNED, ["admin"], 302),
        method="post",
        setup=planned(),
    ),
    # --- findings, the response, the letter -----------------------------------------------------------
    Case(
        "write a finding",
        "improvement:finding",
        lambda w, o: reverse("improvement:finding", args=[o["challenge"].pk, f.areas()[0].pk]),
        only(SEEN_WHILE_PLANNED, ["admin", "dcs_other"], 200),
        setup=planned(),
    ),
    Case(
        "write a finding (only invited)",
        "improvement:finding",
        lambda w, o: reverse("improvement:finding", args=[o["challenge"].pk, f.areas()[0].pk]),
        only(SEEN_WHILE_PLANNED, ["admin"], 200),
        setup=planned(team=M.INVITED),
    ),
    Case(
        "write a finding POST",
        "improvement:finding",
        lambda w, o: reverse("improvement:finding", args=[o["challenge"].pk, f.areas()[0].pk]),
        only(SEEN_WHILE_PLANNED, ["admin", "dcs_other"], 302),
        method="post",
        setup=planned(),
        data=lambda w, o: {"judgement": f.level(f.areas()[0]).pk, "strengths": "Strong partnership"},
    ),
    Case(
        "send the findings",
        "improvement:findings_send",
        challenge_url("improvement:findings_send"),
        only(SEEN_WHILE_PLANNED, ["admin"], 200),
        setup=planned(findings=True),
    ),
    Case(
        "send the findings POST",
        "improvement:findings_send",
        challenge_url("improvement:findings_send"),
        only(SEEN_WHILE_PLANNED, ["admin"], 302),
        method="post",
        setup=planned(findings=True),
        then=status_is(S.FINDINGS_SENT, roles={"admin"}),
    ),
    Case(
        "respond to the findings",
        "improvement:respond",
        challenge_url("improvement:respond"),
        only(SEEN_WHILE_PLANNED, ["dcs", "la_officer"], 200),
        setup=at(S.FINDINGS_SENT),
    ),
    Case(
        "respond to the findings POST",
        "improvement:respond",
        challenge_url("improvement:respond"),
        only(SEEN_WHILE_PLANNED, ["dcs", "la_officer"], 302),
        method="post",
        setup=at(S.FINDINGS_SENT),
        data=lambda w, o: {"response": "We accept the findings"},
        then=status_is(S.RESPONDED, roles={"dcs", "la_officer"}),
    ),
    Case(
        "issue the letter",
        "improvement:letter_issue",
        challenge_url("improvement:letter_issue"),
        only(SEEN_WHILE_PLANNED, ["admin"], 200),
        setup=at(S.RESPONDED),
    ),
    Case(
        "issue the letter POST",
        "improvement:letter_issue",
        challenge_url("improvement:letter_issue"),
        only(SEEN_WHILE_PLANNED, ["admin"], 302),
        method="post",
        setup=at(S.NO_RESPONSE),
        data=lambda w, o: {"letter": "Dear Director, thank you."},
        then=status_is(S.LETTER_ISSUED, roles={"admin"}),
    ),
    Case(
        "the letter's PDF",
        "improvement:letter_pdf",
        challenge_url("improvement:letter_pdf"),
        SEEN_ISSUED,
        setup=at(S.LETTER_ISSUED),
    ),
    Case(
        "the letter's PDF before it is issued",
        "improvement:letter_pdf",
        challenge_url("improvement:letter_pdf"),
        {},
        setup=at(S.RESPONDED),
    ),
    # --- brokerage and inspections --------------------------------------------------------------------
    Case(
        "broker a support package (after a peer challenge)",
        "improvement:brokerage_create",
        lambda w, o: reverse("improvement:brokerage_create") + f"?challenge={o['challenge'].pk}",
        only(SEEN_ISSUED, ["csa"], 200),
        setup=issued_with_framework,
    ),
    Case(
        "broker a support package POST",
        "improvement:brokerage_create",
        lambda w, o: reverse("improvement:brokerage_create") + f"?challenge={o['challenge'].pk}",
        only(SEEN_ISSUED, ["csa"], 302),
        method="post",
        setup=issued_with_framework,
        data=lambda w, o: {
            "period": "2026-27",
            "choices": [str(x.pk) for x in o["challenge"].findings.all() if x.improvement_points],
            "providers": [str(w.tfc.pk)],
        },
        then=lambda w, o, role, r: role != "csa" or Brokerage.objects.get().support_plan.priorities.count() == 1,
    ),
    Case(
        "broker a support package (after an inspection)",
        "improvement:brokerage_create",
        lambda w, o: reverse("improvement:brokerage_create") + f"?inspection={o['inspection'].pk}",
        everyone(403, csa=200, provider=404, provider_other=404),
        setup=inspected,
    ),
    Case(
        "broker a support package (no source)",
        "improvement:brokerage_create",
        lambda w, o: reverse("improvement:brokerage_create"),
        {},
    ),
    Case(
        "brokered support",
        "improvement:brokerage",
        lambda w, o: reverse("improvement:brokerage", args=[o["brokerage"].pk]),
        {"dcs": 200, "la_officer": 200, "csa": 200, "go_director": 200, "admin": 200},
        setup=brokered,
    ),
    Case(
        "record an inspection",
        "improvement:inspection_create",
        lambda w, o: reverse("improvement:inspection_create"),
        everyone(403, admin=200),
    ),
    Case(
        "record an inspection POST",
        "improvement:inspection_create",
        lambda w, o: reverse("improvement:inspection_create"),
        everyone(403, admin=302),
        method="post",
        data=lambda w, o: {
            "authority": w.leeds.gss_code,
            "inspectorate": "Ofsted",
            "title": "Inspection of safeguarding",
            "published_on": "14/06/2026",
            "overall": "satisfactory",
            "areas_for_improvement": "Improve assessments",
        },
        then=lambda w, o, role, r: role != "admin" or InspectionRecord.objects.filter(authority=w.leeds).exists(),
    ),
    Case(
        "inspection",
        "improvement:inspection",
        lambda w, o: reverse("improvement:inspection", args=[o["inspection"].pk]),
        everyone(200, provider=404, provider_other=404),
        setup=inspected,
    ),
]
