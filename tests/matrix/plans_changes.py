"""Permission matrix for in-year change: change requests and their answers, varying and withdrawing
accepted offers and removing a priority in a revision, the authority's "not tailored" mark, a
provider's deployment plan for its offer, the notes of a row and the authority's own support — each
with the state of the plan (draft, with the authority, approved, revised).

The authority (DCS and officers) asks for changes; only the DCS confirms an officer's request and
records the authority's own support; only the lead CSA answers requests and changes accepted
support; providers reach only their own offers; everyone else gets 404."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.working_days import add_working_days, london_date
from plans import services
from plans.models import JISP, ChangeRequest, DeploymentPlan, Offer, OwnSupport, Priority
from tests.matrix import Case
from tests.matrix.plans_workflow import build_plan, see

S = JISP.Status
C = ChangeRequest.Status
O = Offer.Status  # noqa: E741
PDF = b"%PDF-1.4\n% matrix test deployment plan\n"

#: An approved plan is also seen by its provider (Together for Children, accepted) and by analysts.
PUBLISHED = {"provider": 403, "national": 403}


def _u(name, key=None):
    return lambda w, o: reverse(name, kwargs={"pk": (o[key] if key else o).pk})


def _plan(status, **kw):
    return lambda w: build_plan(w, status, **kw)


def _request(status):
    """A change request on the approved plan: raised by the DCS (open) or an officer (awaiting_dcs)."""

    def setup(w):
        jisp = build_plan(w, S.APPROVED)
        raiser = w.dcs if status == C.OPEN else w.la_officer
        return services.raise_change_request(actor=raiser, jisp=jisp, body="Move the review to the autumn")

    return setup


def _revising_request(w):
    """A request answered by a revision: its plan is superseded (the revised state)."""
    change_request = _request(C.OPEN)(w)
    services.start_revision(actor=w.csa, change_request=change_request)
    change_request.refresh_from_db()
    return change_request


def _revision(w):
    """An approved plan revised into a draft version 2: its accepted offer and priority."""
    old = build_plan(w, S.APPROVED)
    new = services.revise(actor=w.csa, jisp=old)
    return {
        "jisp": new,
        "offer": Offer.objects.get(priority__jisp=new, status=O.ACCEPTED),
        "priority": Priority.objects.get(jisp=new),
    }


def _approved_offer(w):
    jisp = build_plan(w, S.APPROVED)
    return {"jisp": jisp, "offer": Offer.objects.get(priority__jisp=jisp, status=O.ACCEPTED)}


def _accepted_in(status):
    def setup(w):
        jisp = build_plan(w, status)
        return {"jisp": jisp, "offer": Offer.objects.get(priority__jisp=jisp, status=O.ACCEPTED)}

    return setup


def _submitted(status):
    def setup(w):
        jisp = build_plan(w, status, offers=[(w.tfc, O.SUBMITTED, "A generic programme")])
        return {"jisp": jisp, "offer": Offer.objects.get(priority__jisp=jisp)}

    return setup


def _draft_offer(w):
    jisp = build_plan(w, S.DRAFT)
    return {"jisp": jisp, "offer": Offer.objects.get(priority__jisp=jisp, status=O.ACCEPTED)}


def _row(status):
    def setup(w):
        jisp = build_plan(w, status)
        return {"jisp": jisp, "priority": Priority.objects.get(jisp=jisp)}

    return setup


def _own_support(status):
    def setup(w):
        jisp = build_plan(w, status)
        own = OwnSupport.objects.create(jisp=jisp, source="c4eo", description="C4EO local support")
        return {"jisp": jisp, "own": own}

    return setup


def _request_status(expected_for):
    """then: the request's status is ``expected_for[role]`` (or unchanged for everyone else)."""

    def then(w, o, role, response):
        before = o.status
        o.refresh_from_db()
        assert o.status == expected_for.get(role, before), f"{role}: {o.status}"

    return then


def _offer_status(ok_roles, changed, key="offer"):
    def then(w, o, role, response):
        offer = o[key]
        before = offer.status
        offer.refresh_from_db()
        assert offer.status == (changed if role in ok_roles else before), f"{role}: {offer.status}"

    return then


def _concern(ok_roles):
    def then(w, o, role, response):
        o["offer"].refresh_from_db()
        assert bool(o["offer"].authority_concern) == (role in ok_roles)

    return then


def _notes(ok_roles):
    def then(w, o, role, response):
        o["priority"].refresh_from_db()
        assert (o["priority"].notes == "Links to the CAMHS review") == (role in ok_roles)

    return then


def _requests_made(ok_roles):
    def then(w, o, role, response):
        assert ChangeRequest.objects.filter(jisp=o).exists() == (role in ok_roles)

    return then


CASES = [
    # --- change requests: raised on the approved plan ----------------------------------------------
    Case(
        "changes: ask for a change page (approved)",
        "plans:change_request_add",
        _u("plans:change_request_add"),
        see(403, dcs=200, la_officer=200) | PUBLISHED,
        setup=_plan(S.APPROVED),
    ),
    Case(
        "changes: ask for a change (approved)",
        "plans:change_request_add",
        _u("plans:change_request_add"),
        see(403, dcs=302, la_officer=302) | PUBLISHED,
        method="post",
        data=lambda w, o: {"body": "Move the portfolio review to the autumn"},
        setup=_plan(S.APPROVED),
        then=_requests_made({"dcs", "la_officer"}),
    ),
    Case(
        "changes: ask for a change (draft: refused on the page)",
        "plans:change_request_add",
        _u("plans:change_request_add"),
        see(403, dcs=200, la_officer=200),
        method="post",
        data=lambda w, o: {"body": "A change"},
        setup=_plan(S.DRAFT),
        then=_requests_made(set()),
    ),
    Case(
        "changes: ask for a change (with the authority: refused on the page)",
        "plans:change_request_add",
        _u("plans:change_request_add"),
        see(403, dcs=200, la_officer=200),
        method="post",
        data=lambda w, o: {"body": "A change"},
        setup=_plan(S.WITH_AUTHORITY),
        then=_requests_made(set()),
    ),
    Case(
        "changes: ask for a change (revised: refused on the page)",
        "plans:change_request_add",
        _u("plans:change_request_add"),
        see(403, dcs=200, la_officer=200) | PUBLISHED,
        method="post",
        data=lambda w, o: {"body": "A change"},
        setup=_plan(S.SUPERSEDED),
        then=_requests_made(set()),
    ),
    Case(
        "changes: change request page (approved)",
        "plans:change_request",
        _u("plans:change_request"),
        see(200),
        setup=_request(C.OPEN),
    ),
    Case(
        "changes: change request page (revised)",
        "plans:change_request",
        _u("plans:change_request"),
        see(200),
        setup=_revising_request,
    ),
    Case(
        "changes: confirm page",
        "plans:change_request_confirm",
        _u("plans:change_request_confirm"),
        see(403, dcs=200),
        setup=_request(C.AWAITING_DCS),
    ),
    Case(
        "changes: confirm (approved)",
        "plans:change_request_confirm",
        _u("plans:change_request_confirm"),
        see(403, dcs=302),
        method="post",
        setup=_request(C.AWAITING_DCS),
        then=_request_status({"dcs": C.OPEN}),
    ),
    Case(
        "changes: start a revision page",
        "plans:change_request_revise",
        _u("plans:change_request_revise"),
        see(403, csa=200),
        setup=_request(C.OPEN),
    ),
    Case(
        "changes: start a revision (approved)",
        "plans:change_request_revise",
        _u("plans:change_request_revise"),
        see(403, csa=302),
        method="post",
        data=lambda w, o: {"answer": "We will vary the offer"},
        setup=_request(C.OPEN),
        then=_request_status({"csa": C.REVISING}),
    ),
    Case(
        "changes: start a revision (revised: refused on the page)",
        "plans:change_request_revise",
        _u("plans:change_request_revise"),
        see(403, csa=200),
        method="post",
        setup=_revising_request,
        then=_request_status({}),
    ),
    Case(
        "changes: decline page",
        "plans:change_request_decline",
        _u("plans:change_request_decline"),
        see(403, csa=200),
        setup=_request(C.OPEN),
    ),
    Case(
        "changes: decline (approved)",
        "plans:change_request_decline",
        _u("plans:change_request_decline"),
        see(403, csa=302),
        method="post",
        data=lambda w, o: {"reason": "The support has already been delivered"},
        setup=_request(C.AWAITING_DCS),
        then=_request_status({"csa": C.DECLINED}),
    ),
    Case(
        "changes: decline (revised: refused on the page)",
        "plans:change_request_decline",
        _u("plans:change_request_decline"),
        see(403, csa=200),
        method="post",
        data=lambda w, o: {"reason": "No"},
        setup=_revising_request,
        then=_request_status({}),
    ),
    # --- a revision changes accepted support -------------------------------------------------------
    Case(
        "changes: vary an accepted offer page (revised)",
        "plans:offer_vary",
        _u("plans:offer_vary", "offer"),
        see(403, csa=200) | {"provider": 403},
        setup=_revision,
    ),
    Case(
        "changes: vary an accepted offer (revised)",
        "plans:offer_vary",
        _u("plans:offer_vary", "offer"),
        see(403, csa=302) | {"provider": 403},
        method="post",
        data=lambda w, o: {"reason": "Two more days in the autumn", "respond_by": f"{_due():%d/%m/%Y}"},
        setup=_revision,
        then=_offer_status({"csa"}, O.INVITED),
    ),
    Case(
        "changes: vary an accepted offer (approved: refused on the page)",
        "plans:offer_vary",
        _u("plans:offer_vary", "offer"),
        see(403, csa=200) | PUBLISHED,
        method="post",
        data=lambda w, o: {"reason": "x"},
        setup=_approved_offer,
        then=_offer_status(set(), O.INVITED),
    ),
    Case(
        "changes: vary an accepted offer (with the authority: refused on the page)",
        "plans:offer_vary",
        _u("plans:offer_vary", "offer"),
        see(403, csa=200) | {"provider": 403},
        method="post",
        data=lambda w, o: {"reason": "x", "respond_by": f"{_due():%d/%m/%Y}"},
        setup=_accepted_in(S.WITH_AUTHORITY),
        then=_offer_status(set(), O.INVITED),
    ),
    Case(
        "changes: withdraw an accepted offer page (revised)",
        "plans:offer_withdraw_accepted",
        _u("plans:offer_withdraw_accepted", "offer"),
        see(403, csa=200) | {"provider": 403},
        setup=_revision,
    ),
    Case(
        "changes: withdraw an accepted offer (revised)",
        "plans:offer_withdraw_accepted",
        _u("plans:offer_withdraw_accepted", "offer"),
        see(403, csa=302) | {"provider": 403},
        method="post",
        data=lambda w, o: {"reason": "The authority delivers it itself"},
        setup=_revision,
        then=_offer_status({"csa"}, O.WITHDRAWN),
    ),
    Case(
        "changes: withdraw an accepted offer (draft version 1: refused on the page)",
        "plans:offer_withdraw_accepted",
        _u("plans:offer_withdraw_accepted", "offer"),
        see(403, csa=200) | {"provider": 403},
        method="post",
        data=lambda w, o: {"reason": "x"},
        setup=_draft_offer,
        then=_offer_status(set(), O.WITHDRAWN),
    ),
    Case(
        "changes: remove a priority with accepted offers page (revised)",
        "plans:priority_remove_accepted",
        _u("plans:priority_remove_accepted", "priority"),
        see(403, csa=200),
        setup=_revision,
    ),
    Case(
        "changes: remove a priority with accepted offers (revised)",
        "plans:priority_remove_accepted",
        _u("plans:priority_remove_accepted", "priority"),
        see(403, csa=302),
        method="post",
        data=lambda w, o: {"reason": "Met early"},
        setup=_revision,
        then=lambda w, o, role, r: _assert(
            Priority.objects.filter(pk=o["priority"].pk).exists() != (role == "csa"), role
        ),
    ),
    # --- the authority's "not tailored" mark -------------------------------------------------------
    Case(
        "changes: mark an offer not tailored page (with the authority)",
        "plans:offer_flag",
        _u("plans:offer_flag", "offer"),
        see(403, dcs=200, la_officer=200) | {"provider": 403},
        setup=_submitted(S.WITH_AUTHORITY),
    ),
    Case(
        "changes: mark an offer not tailored (with the authority)",
        "plans:offer_flag",
        _u("plans:offer_flag", "offer"),
        see(403, dcs=302, la_officer=302) | {"provider": 403},
        method="post",
        data=lambda w, o: {"reason": "It is the same programme as everywhere"},
        setup=_submitted(S.WITH_AUTHORITY),
        then=_concern({"dcs", "la_officer"}),
    ),
    Case(
        "changes: mark an offer not tailored (draft: refused on the page)",
        "plans:offer_flag",
        _u("plans:offer_flag", "offer"),
        see(403, dcs=200, la_officer=200) | {"provider": 403},
        method="post",
        data=lambda w, o: {"reason": "x"},
        setup=_submitted(S.DRAFT),
        then=_concern(set()),
    ),
    # --- a provider's deployment plan for its offer ------------------------------------------------
    Case(
        "changes: upload an offer's deployment plan page (draft)",
        "plans:offer_deployment_plan",
        _u("plans:offer_deployment_plan", "offer"),
        see(403, csa=200) | {"provider": 200},
        setup=_draft_offer,
    ),
    Case(
        "changes: upload an offer's deployment plan (draft)",
        "plans:offer_deployment_plan",
        _u("plans:offer_deployment_plan", "offer"),
        see(403, csa=302) | {"provider": 302},
        method="post",
        data=lambda w, o: {"file": SimpleUploadedFile("tfc-plan.pdf", PDF, "application/pdf")},
        setup=_draft_offer,
        then=lambda w, o, role, r: _assert(
            DeploymentPlan.objects.filter(jisp=o["jisp"]).exists() == (role in ("csa", "provider")), role
        ),
    ),
    Case(
        "changes: upload an offer's deployment plan (approved)",
        "plans:offer_deployment_plan",
        _u("plans:offer_deployment_plan", "offer"),
        see(403, csa=302) | {"provider": 302, "national": 403},
        method="post",
        data=lambda w, o: {"file": SimpleUploadedFile("tfc-plan.pdf", PDF, "application/pdf")},
        setup=_approved_offer,
    ),
    # --- the notes of a row ------------------------------------------------------------------------
    Case(
        "changes: row notes page (draft)",
        "plans:priority_notes",
        _u("plans:priority_notes", "priority"),
        see(403, csa=200, dcs=200, la_officer=200),
        setup=_row(S.DRAFT),
    ),
    Case(
        "changes: row notes (with the authority)",
        "plans:priority_notes",
        _u("plans:priority_notes", "priority"),
        see(403, csa=302, dcs=302, la_officer=302),
        method="post",
        data=lambda w, o: {"notes": "Links to the CAMHS review", "lock_version": o["priority"].lock_version},
        setup=_row(S.WITH_AUTHORITY),
        then=_notes({"csa", "dcs", "la_officer"}),
    ),
    Case(
        "changes: row notes (approved: refused on the page)",
        "plans:priority_notes",
        _u("plans:priority_notes", "priority"),
        see(403, csa=200, dcs=200, la_officer=200) | PUBLISHED,
        method="post",
        data=lambda w, o: {"notes": "Links to the CAMHS review", "lock_version": o["priority"].lock_version},
        setup=_row(S.APPROVED),
        then=_notes(set()),
    ),
    # --- the authority's own support ---------------------------------------------------------------
    Case(
        "changes: own support page (draft)",
        "plans:own_support_add",
        _u("plans:own_support_add", "jisp"),
        see(403, dcs=200),
        setup=_row(S.DRAFT),
    ),
    Case(
        "changes: record own support (with the authority)",
        "plans:own_support_add",
        _u("plans:own_support_add", "jisp"),
        see(403, dcs=302),
        method="post",
        data=lambda w, o: {"source": "csp", "description": "Commissioning Support Programme", "cost": "2500"},
        setup=_row(S.WITH_AUTHORITY),
        then=lambda w, o, role, r: _assert(OwnSupport.objects.filter(jisp=o["jisp"]).exists() == (role == "dcs"), role),
    ),
    Case(
        "changes: record own support (approved: refused on the page)",
        "plans:own_support_add",
        _u("plans:own_support_add", "jisp"),
        see(403, dcs=200) | PUBLISHED,
        method="post",
        data=lambda w, o: {"source": "csp", "description": "Commissioning Support Programme"},
        setup=_row(S.APPROVED),
        then=lambda w, o, role, r: _assert(not OwnSupport.objects.filter(jisp=o["jisp"]).exists(), role),
    ),
    Case(
        "changes: remove own support (draft)",
        "plans:own_support_remove",
        _u("plans:own_support_remove", "own"),
        see(403, dcs=302),
        method="post",
        setup=_own_support(S.DRAFT),
        then=lambda w, o, role, r: _assert(OwnSupport.objects.filter(pk=o["own"].pk).exists() != (role == "dcs"), role),
    ),
    Case(
        "changes: remove own support (approved: refused on the page)",
        "plans:own_support_remove",
        _u("plans:own_support_remove", "own"),
        see(403, dcs=200) | PUBLISHED,
        method="post",
        setup=_own_support(S.APPROVED),
        then=lambda w, o, role, r: _assert(OwnSupport.objects.filter(pk=o["own"].pk).exists(), role),
    ),
]


def _due():
    return add_working_days(london_date(), 5)


def _assert(condition, role):
    assert condition, role
