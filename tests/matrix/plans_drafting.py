"""Permission matrix for drafting: the plans list, starting a plan, the Annex 2 page, its history,
priorities, needs, good practice and deployment plans × every role.

The lead CSA drafts; the authority's DCS and officers may also propose needs; whoever may see the
plan reads it (providers and analysts only once approved); everyone else gets 404.
"""

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from plans.models import JISP, DeploymentPlan, GoodPractice, Offer, Priority
from tests.matrix import Case, everyone
from tests.matrix.plans_workflow import build_plan, lead_csa_only, see
from tests.plans.factories import JISPFactory, NeedFactory, PriorityFactory

S = JISP.Status
PDF = b"%PDF-1.4\n% matrix test deployment plan\n"


def _draft(w):
    """A draft Newcastle plan with one priority (no offers), a need, good practice, a deployment plan."""
    jisp = JISPFactory(authority=w.newcastle, period="2010-11", status=S.DRAFT, csa=w.csa)
    priority = PriorityFactory(jisp=jisp, title="Reduce teenage pregnancy", order=1)
    PriorityFactory(jisp=jisp, title="Children's centres", order=2)
    need = NeedFactory(priority=priority, description="Develop a sexual health policy")
    good = GoodPractice.objects.create(jisp=jisp, area="Youth participation")
    plan = DeploymentPlan(
        jisp=jisp,
        provider=w.ns,
        original_name="ns-deployment.pdf",
        content_type="application/pdf",
        size=len(PDF),
        uploaded_by=w.csa,
    )
    plan.file.save("matrix-deployment.pdf", ContentFile(PDF), save=False)
    plan.save()
    return {"jisp": jisp, "priority": priority, "need": need, "good": good, "plan": plan}


def _with_deployment_plan(w, status):
    """A Newcastle plan in ``status`` where both providers' offers are accepted (both see it once
    approved), with National Strategies' deployment plan."""
    jisp = build_plan(
        w,
        status,
        offers=[(w.tfc, Offer.Status.ACCEPTED, "Portfolio review"), (w.ns, Offer.Status.ACCEPTED, "Training")],
    )
    plan = DeploymentPlan(
        jisp=jisp,
        provider=w.ns,
        original_name="ns-deployment.pdf",
        content_type="application/pdf",
        size=len(PDF),
        uploaded_by=w.csa,
    )
    plan.file.save("matrix-deployment.pdf", ContentFile(PDF), save=False)
    plan.save()
    return {"jisp": jisp, "plan": plan}


def _u(name, key):
    return lambda w, o: reverse(name, kwargs={"pk": o[key].pk})


def _approved(w):
    jisp = build_plan(w, S.APPROVED)
    return {"jisp": jisp, "priority": Priority.objects.get(jisp=jisp)}


def _unchanged_title(title):
    def check(w, o, role, response):
        o["priority"].refresh_from_db()
        if role != "csa":
            assert o["priority"].title == title

    return check


def CSAS(status, other=None):  # noqa: N802 - an expect-dict like the helpers above
    """Only CSAs start plans, for the authorities they lead (both CSAs of the world lead one)."""
    return {"csa": status, "csa_other": other if other is not None else status}


LEAD = lead_csa_only  # csa ok, other viewers 403, everyone else 404
PROPOSERS = see(403, csa=200, dcs=200, la_officer=200)

CASES = [
    Case("drafting: plans list", "plans:list", lambda w, o: reverse("plans:list"), everyone(200)),
    Case(
        "drafting: plans list filtered",
        "plans:list",
        lambda w, o: reverse("plans:list") + "?status=draft&period=2010-11",
        everyone(200),
        setup=_draft,
    ),
    Case("drafting: start a plan page", "plans:create", lambda w, o: reverse("plans:create"), CSAS(200), 403),
    Case(
        "drafting: start a plan",
        "plans:create",
        lambda w, o: reverse("plans:create"),
        CSAS(302, other=200),  # another region's CSA cannot pick Gateshead: the form is shown again
        403,
        method="post",
        data=lambda w, o: {"authority": w.gateshead.pk, "period": "2010-11"},
        then=lambda w, o, role, r: (
            None
            if role == "csa"
            else _assert(not JISP.objects.filter(authority=w.gateshead).exists(), "a plan was created")
        ),
    ),
    Case("drafting: Annex 2 page (draft)", "plans:detail", _u("plans:detail", "jisp"), see(200), setup=_draft),
    Case(
        "drafting: Annex 2 page (approved)",
        "plans:detail",
        _u("plans:detail", "jisp"),
        see(200, provider=200, national=200),
        setup=_approved,
    ),
    Case("drafting: history", "plans:history", _u("plans:history", "jisp"), see(200), setup=_draft),
    Case(
        "drafting: history (approved)",
        "plans:history",
        _u("plans:history", "jisp"),
        see(200, provider=403, national=403),
        setup=_approved,
    ),
    Case(
        "drafting: add priority page",
        "plans:priority_add",
        _u("plans:priority_add", "jisp"),
        LEAD(200),
        setup=_draft,
    ),
    Case(
        "drafting: add priority",
        "plans:priority_add",
        _u("plans:priority_add", "jisp"),
        LEAD(302),
        method="post",
        data=lambda w, o: {"title": "Narrow the gap"},
        setup=_draft,
        then=lambda w, o, role, r: _assert(
            Priority.objects.filter(title="Narrow the gap").exists() == (role == "csa"), "priority added or not"
        ),
    ),
    Case(
        "drafting: change priority page",
        "plans:priority_edit",
        _u("plans:priority_edit", "priority"),
        LEAD(200),
        setup=_draft,
    ),
    Case(
        "drafting: change priority",
        "plans:priority_edit",
        _u("plans:priority_edit", "priority"),
        LEAD(302),
        method="post",
        data=lambda w, o: {"title": "Changed", "lock_version": o["priority"].lock_version},
        setup=_draft,
        then=_unchanged_title("Reduce teenage pregnancy"),
    ),
    Case(
        "drafting: move priority",
        "plans:priority_move",
        _u("plans:priority_move", "priority"),
        LEAD(302),
        method="post",
        data=lambda w, o: {"direction": "down"},
        setup=_draft,
    ),
    Case(
        "drafting: remove priority page",
        "plans:priority_remove",
        _u("plans:priority_remove", "priority"),
        LEAD(200),
        setup=_draft,
    ),
    Case(
        "drafting: remove priority",
        "plans:priority_remove",
        _u("plans:priority_remove", "priority"),
        LEAD(302),
        method="post",
        setup=_draft,
        then=lambda w, o, role, r: _assert(
            Priority.objects.filter(pk=o["priority"].pk).exists() == (role != "csa"), "priority removed or not"
        ),
    ),
    Case("drafting: add need page", "plans:need_add", _u("plans:need_add", "priority"), PROPOSERS, setup=_draft),
    Case(
        "drafting: add or propose need",
        "plans:need_add",
        _u("plans:need_add", "priority"),
        see(403, csa=302, dcs=302, la_officer=302),
        method="post",
        data=lambda w, o: {"description": "A business case for contraception funding"},
        setup=_draft,
    ),
    Case("drafting: change need page", "plans:need_edit", _u("plans:need_edit", "need"), LEAD(200), setup=_draft),
    Case(
        "drafting: change need",
        "plans:need_edit",
        _u("plans:need_edit", "need"),
        LEAD(302),
        method="post",
        data=lambda w, o: {"description": "Changed need", "lock_version": o["need"].lock_version},
        setup=_draft,
    ),
    Case("drafting: remove need page", "plans:need_remove", _u("plans:need_remove", "need"), LEAD(200), setup=_draft),
    Case(
        "drafting: remove need",
        "plans:need_remove",
        _u("plans:need_remove", "need"),
        LEAD(302),
        method="post",
        setup=_draft,
    ),
    Case(
        "drafting: add good practice page",
        "plans:good_practice_add",
        _u("plans:good_practice_add", "jisp"),
        LEAD(200),
        setup=_draft,
    ),
    Case(
        "drafting: add good practice",
        "plans:good_practice_add",
        _u("plans:good_practice_add", "jisp"),
        LEAD(302),
        method="post",
        data=lambda w, o: {"area": "Safeguarding"},
        setup=_draft,
    ),
    Case(
        "drafting: change good practice page",
        "plans:good_practice_edit",
        _u("plans:good_practice_edit", "good"),
        LEAD(200),
        setup=_draft,
    ),
    Case(
        "drafting: change good practice",
        "plans:good_practice_edit",
        _u("plans:good_practice_edit", "good"),
        LEAD(302),
        method="post",
        data=lambda w, o: {"area": "Youth voice", "fingerprint": _fingerprint(o["good"])},
        setup=_draft,
    ),
    Case(
        "drafting: remove good practice page",
        "plans:good_practice_remove",
        _u("plans:good_practice_remove", "good"),
        LEAD(200),
        setup=_draft,
    ),
    Case(
        "drafting: remove good practice",
        "plans:good_practice_remove",
        _u("plans:good_practice_remove", "good"),
        LEAD(302),
        method="post",
        setup=_draft,
    ),
    Case(
        "drafting: upload deployment plan page",
        "plans:deployment_plan_upload",
        _u("plans:deployment_plan_upload", "jisp"),
        LEAD(200),
        setup=_draft,
    ),
    Case(
        "drafting: upload deployment plan",
        "plans:deployment_plan_upload",
        _u("plans:deployment_plan_upload", "jisp"),
        LEAD(302),
        method="post",
        data=lambda w, o: {"provider": w.ns.pk, "file": SimpleUploadedFile("plan.pdf", PDF, "application/pdf")},
        setup=_draft,
    ),
    # Deployment plans (SECURITY.md, "Deployment plans"): the plan's GO (lead CSA, GO director,
    # administrator), the authority once the plan is with it, the provider for its own plan.
    Case(
        "drafting: download deployment plan, draft plan",
        "plans:deployment_plan_download",
        _u("plans:deployment_plan_download", "plan"),
        see(403, csa=200, go_director=200, admin=200),
        setup=_draft,
    ),
    Case(
        "drafting: download deployment plan, plan with the authority",
        "plans:deployment_plan_download",
        _u("plans:deployment_plan_download", "plan"),
        see(200),
        setup=lambda w: _with_deployment_plan(w, S.WITH_AUTHORITY),
    ),
    Case(
        "drafting: download deployment plan, approved plan, another provider's",
        "plans:deployment_plan_download",
        _u("plans:deployment_plan_download", "plan"),
        see(200, provider=403, provider_other=200, national=403),
        setup=lambda w: _with_deployment_plan(w, S.APPROVED),
    ),
    Case(
        "drafting: remove deployment plan page",
        "plans:deployment_plan_remove",
        _u("plans:deployment_plan_remove", "plan"),
        LEAD(200),
        setup=_draft,
    ),
    Case(
        "drafting: remove deployment plan",
        "plans:deployment_plan_remove",
        _u("plans:deployment_plan_remove", "plan"),
        LEAD(302),
        method="post",
        setup=_draft,
    ),
]


def _fingerprint(good):
    from plans.services.drafting import good_practice_fingerprint

    return good_practice_fingerprint(good)


def _assert(condition, message):
    assert condition, message
