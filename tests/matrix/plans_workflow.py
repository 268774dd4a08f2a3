"""Permission matrix for the plan workflow: every page and POST × every role.

Only the lead CSA moves the plan; only the plan's own DCS approves or requests changes (another
DCS gets 404, an officer, the CSA or an admin superuser 403); the authority comments; the signed-off
PDF is for whoever may see the approved plan.
"""

from decimal import Decimal

from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from plans.models import JISP, Offer, PlanComment
from tests.matrix import Case
from tests.plans.factories import JISPFactory, NeedFactory, OfferFactory, PriorityFactory

S = JISP.Status


def build_plan(world, status=S.DRAFT, *, authority=None, period="2009-10", version=1, offers=None, pdf=False):
    """A plan with one priority, a need and offers: by default Together for Children accepted and
    National Strategies withdrawn. ``offers`` is a list of (provider, status, description)."""
    authority = authority or world.newcastle
    jisp = JISPFactory(authority=authority, period=period, version=version, status=status, csa=authority.csa)
    if status in (S.APPROVED, S.SUPERSEDED):
        jisp.approved_at, jisp.approved_by = timezone.now(), authority.dcs
        jisp.save()
    priority = PriorityFactory(jisp=jisp, title="Delivery of Sure Start Children's Centres", order=1)
    need = NeedFactory(priority=priority, description="Re-evaluate the children's centre portfolio")
    if offers is None:
        offers = [
            (world.tfc, Offer.Status.ACCEPTED, "By June 2009, provide 3 days support on the portfolio"),
            (world.ns, Offer.Status.WITHDRAWN, "A generic programme that was withdrawn"),
        ]
    for provider, offer_status, text in offers:
        OfferFactory(
            priority=priority,
            need=need,
            provider=provider,
            status=offer_status,
            description=text,
            days=Decimal("3"),
            funding=Decimal("1500.00"),
            submitted_at=timezone.now(),
        )
    if pdf:
        jisp.pdf.save("matrix-test.pdf", ContentFile(b"%PDF-1.4\n% matrix test\n"), save=False)
        jisp.pdf_sha256 = "0" * 64
        jisp.save()
    return jisp


VISIBLE = ("csa", "go_director", "dcs", "la_officer", "admin")


def see(status=200, **overrides):
    """The plan's viewers get ``status``; everyone else 404."""
    expect = dict.fromkeys(VISIBLE, status)
    expect.update(overrides)
    return expect


def lead_csa_only(ok):
    return see(403, csa=ok)


def own_dcs_only(ok):
    return see(403, dcs=ok)


def _plan(status, **kw):
    return lambda w: build_plan(w, status, **kw)


def _url(name):
    return lambda w, o: reverse(name, kwargs={"pk": o.pk})


def _comment(w):
    jisp = build_plan(w, S.WITH_AUTHORITY)
    return PlanComment.objects.create(jisp=jisp, author=w.dcs, body="Please add more days")


def _versions(w):
    old = build_plan(w, S.SUPERSEDED)
    new = build_plan(w, S.DRAFT, version=2)
    return old, new


CASES = [
    Case("workflow: review page", "plans:workflow", _url("plans:workflow"), see(200), setup=_plan(S.DRAFT)),
    Case(
        "workflow: send to authority page",
        "plans:send_to_authority",
        _url("plans:send_to_authority"),
        lead_csa_only(200),
        setup=_plan(S.DRAFT),
    ),
    Case(
        "workflow: send to authority",
        "plans:send_to_authority",
        _url("plans:send_to_authority"),
        lead_csa_only(302),
        method="post",
        setup=_plan(S.DRAFT),
    ),
    Case(
        "workflow: return to draft page",
        "plans:return_to_draft",
        _url("plans:return_to_draft"),
        lead_csa_only(200),
        setup=_plan(S.WITH_AUTHORITY),
    ),
    Case(
        "workflow: return to draft",
        "plans:return_to_draft",
        _url("plans:return_to_draft"),
        lead_csa_only(302),
        method="post",
        setup=_plan(S.WITH_AUTHORITY),
    ),
    Case(
        "workflow: send for approval page",
        "plans:send_for_approval",
        _url("plans:send_for_approval"),
        lead_csa_only(200),
        setup=_plan(S.WITH_AUTHORITY),
    ),
    Case(
        "workflow: send for approval",
        "plans:send_for_approval",
        _url("plans:send_for_approval"),
        lead_csa_only(302),
        method="post",
        setup=_plan(S.WITH_AUTHORITY),
    ),
    Case(
        "workflow: request changes page",
        "plans:request_changes",
        _url("plans:request_changes"),
        own_dcs_only(200),
        setup=_plan(S.AWAITING_APPROVAL),
    ),
    Case(
        "workflow: request changes",
        "plans:request_changes",
        _url("plans:request_changes"),
        own_dcs_only(302),
        method="post",
        data=lambda w, o: {"comments": "Add the workforce priority"},
        setup=_plan(S.AWAITING_APPROVAL),
    ),
    Case(
        "workflow: approve page",
        "plans:approve",
        _url("plans:approve"),
        own_dcs_only(200),
        setup=_plan(S.AWAITING_APPROVAL),
    ),
    Case(
        "workflow: approve",
        "plans:approve",
        _url("plans:approve"),
        own_dcs_only(302),
        method="post",
        data=lambda w, o: {"version": o.version, "lock_version": o.lock_version, "confirm": "on"},
        setup=_plan(S.AWAITING_APPROVAL),
        then=lambda w, o, role, r: (
            o.refresh_from_db() or None,
            None if role == "dcs" else _assert_status(o, S.AWAITING_APPROVAL),
        ),
    ),
    Case(
        "workflow: revise page",
        "plans:revise",
        _url("plans:revise"),
        lead_csa_only(200) | {"provider": 403, "national": 403},
        setup=_plan(S.APPROVED),
    ),
    Case(
        "workflow: revise",
        "plans:revise",
        _url("plans:revise"),
        lead_csa_only(302) | {"provider": 403, "national": 403},
        method="post",
        setup=_plan(S.APPROVED),
    ),
    Case(
        "workflow: comment page",
        "plans:comment_add",
        _url("plans:comment_add"),
        see(403, dcs=200, la_officer=200),
        setup=_plan(S.WITH_AUTHORITY),
    ),
    Case(
        "workflow: add comment",
        "plans:comment_add",
        _url("plans:comment_add"),
        see(403, dcs=302, la_officer=302),
        method="post",
        data=lambda w, o: {"target": "plan", "body": "Please add more days"},
        setup=_plan(S.WITH_AUTHORITY),
    ),
    Case(
        "workflow: resolve comment page",
        "plans:comment_resolve",
        _url("plans:comment_resolve"),
        lead_csa_only(200),
        setup=_comment,
    ),
    Case(
        "workflow: resolve comment",
        "plans:comment_resolve",
        _url("plans:comment_resolve"),
        lead_csa_only(302),
        method="post",
        setup=_comment,
    ),
    Case(
        "workflow: PDF status",
        "plans:pdf_status",
        _url("plans:pdf_status"),
        see(200, provider=200, national=200),
        setup=_plan(S.APPROVED),
    ),
    Case(
        "workflow: PDF download",
        "plans:pdf_download",
        _url("plans:pdf_download"),
        see(200, provider=200, national=200),
        setup=_plan(S.APPROVED, pdf=True),
    ),
    Case(
        "workflow: XLSX export",
        "plans:export_xlsx",
        _url("plans:export_xlsx"),
        see(200, go_director=403),
        setup=_plan(S.DRAFT),
    ),
    Case(
        "workflow: compare versions",
        "plans:compare",
        lambda w, o: reverse("plans:compare", kwargs={"pk": o[0].pk, "other_pk": o[1].pk}),
        see(200),
        setup=_versions,
    ),
]


def _assert_status(jisp, status):
    assert jisp.status == status, f"{jisp.status} != {status}"
