"""Self-assessment pages: starting this year's, the self-assessment itself, its overall
self-evaluation, each area, the local profile, evidence documents and sharing it."""

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods

from accounts.permissions import can, require
from core.actions import posted, rebind, submit
from plans.forms.workflow import ConfirmForm

from .. import queries as q
from .. import services
from ..forms import AnswerForm, EvidenceForm, ProfileForm, StartForm, SummaryForm
from ..models import Evidence, PeerChallenge, SelfAssessment, SelfAssessmentArea
from .common import crumbs, form_page, sa_crumbs


def _self_assessment(request, pk):
    return get_object_or_404(q.self_assessment_detail(request.user), pk=pk)


def _draft_only(self_assessment):
    return {
        "allowed": self_assessment.is_draft,
        "not_allowed": "The self-assessment has been shared for peer challenge and no longer changes.",
    }


@require_http_methods(["GET", "POST"])
def start(request):
    authority = request.user.authority if request.user.authority_id else None
    if authority is None:
        raise PermissionDenied("Only an authority's DCS and officers start its self-assessment.")
    require(request.user, "improvement.add_selfassessment", authority)
    form = StartForm(posted(request), initial={"year": q.this_year()})
    outcome = submit(
        request,
        form,
        lambda data: services.start_self_assessment(actor=request.user, authority=authority, year=data["year"]),
        success=lambda sa: f"The self-assessment {sa.year} has been started",
        then=lambda sa: sa.get_absolute_url(),
    )
    if outcome.response:
        return outcome.response
    return form_page(
        request,
        outcome.form,
        title="Start a self-assessment",
        caption=str(authority),
        crumbs=crumbs((str(authority), authority.get_absolute_url()), "Start a self-assessment"),
        cancel_url=reverse("improvement:index"),
        lead="Your annual self-assessment against the framework: a judgement and evidence for each area, your "
        "overall self-evaluation and your local profile. It stays private to your authority until your DCS "
        "shares it for peer challenge.",
        existing=outcome.error.details[0] if outcome.error and outcome.error.details else None,
    )


@require_GET
def detail(request, pk):
    self_assessment = _self_assessment(request, pk)
    user = request.user
    may_change = can(user, "improvement.change_selfassessment", self_assessment) and self_assessment.is_draft
    challenges = list(
        PeerChallenge.objects.visible_to(user).filter(self_assessment=self_assessment).select_related("lead")
    )
    return render(
        request,
        "improvement/self_assessment.html",
        {
            "sa": self_assessment,
            "answers": list(self_assessment.answers.all()),
            "profile": list(self_assessment.profile.all()),
            "evidence": list(self_assessment.evidence.all()),
            "challenges": challenges,
            "may_change": may_change,
            "may_share": can(user, "improvement.share_selfassessment", self_assessment) and self_assessment.is_draft,
            "may_challenge": can(user, "improvement.add_peerchallenge", self_assessment)
            and not self_assessment.is_draft,
            "crumbs": sa_crumbs(self_assessment),
        },
    )


@require_http_methods(["GET", "POST"])
def summary(request, pk):
    self_assessment = _self_assessment(request, pk)
    require(request.user, "improvement.change_selfassessment", self_assessment)
    initial = {"summary": self_assessment.summary, "lock_version": self_assessment.lock_version}
    form = SummaryForm(posted(request), initial=initial)

    def stale(error):
        self_assessment.refresh_from_db()
        latest = [("Overall self-evaluation", self_assessment.summary)]
        return rebind(
            SummaryForm, request, error, version_field="lock_version", version=self_assessment.lock_version
        ), latest

    outcome = submit(
        request,
        form,
        lambda data: services.save_summary(
            actor=request.user,
            self_assessment=self_assessment,
            summary=data["summary"],
            lock_version=data["lock_version"],
        ),
        success="The overall self-evaluation has been saved",
        then=f"{self_assessment.get_absolute_url()}#summary",
        on_stale=stale,
    )
    return outcome.response or form_page(
        request,
        outcome.form,
        title="Overall self-evaluation",
        caption=str(self_assessment),
        crumbs=sa_crumbs(self_assessment, "Overall self-evaluation"),
        cancel_url=self_assessment.get_absolute_url(),
        latest=outcome.latest,
        **_draft_only(self_assessment),
    )


@require_http_methods(["GET", "POST"])
def answer(request, pk):
    item = get_object_or_404(
        SelfAssessmentArea.objects.select_related("area", "judgement", "self_assessment__authority"),
        pk=pk,
        self_assessment__in=SelfAssessment.objects.visible_to(request.user).values("pk"),
    )
    self_assessment = item.self_assessment
    require(request.user, "improvement.change_selfassessment", self_assessment)
    initial = {"judgement": item.judgement_id, "evidence": item.evidence, "lock_version": item.lock_version}
    form = AnswerForm(posted(request), initial=initial, area=item.area)

    def stale(error):
        item.refresh_from_db()
        latest = [("Judgement", str(item.judgement or "Not given")), ("Evidence", item.evidence)]
        return rebind(
            AnswerForm, request, error, version_field="lock_version", version=item.lock_version, area=item.area
        ), latest

    outcome = submit(
        request,
        form,
        lambda data: services.answer_area(
            actor=request.user,
            answer=item,
            judgement=data["judgement"],
            evidence=data["evidence"],
            lock_version=data["lock_version"],
        ),
        success=f"“{item.area}” has been saved",
        then=f"{self_assessment.get_absolute_url()}#area-{item.pk}",
        on_stale=stale,
    )
    return outcome.response or form_page(
        request,
        outcome.form,
        title=item.area.title,
        caption=str(self_assessment),
        crumbs=sa_crumbs(self_assessment, item.area.title),
        cancel_url=self_assessment.get_absolute_url(),
        lead=item.area.description,
        latest=outcome.latest,
        **_draft_only(self_assessment),
    )


@require_http_methods(["GET", "POST"])
def profile(request, pk):
    self_assessment = _self_assessment(request, pk)
    require(request.user, "improvement.change_selfassessment", self_assessment)
    entries = list(self_assessment.profile.all())
    form = ProfileForm(posted(request), entries=entries)
    outcome = submit(
        request,
        form,
        lambda data: services.save_profile(actor=request.user, self_assessment=self_assessment, entries=form.values()),
        success="The local profile has been saved",
        then=f"{self_assessment.get_absolute_url()}#profile",
    )
    return outcome.response or form_page(
        request,
        outcome.form,
        title="Local profile",
        caption=str(self_assessment),
        crumbs=sa_crumbs(self_assessment, "Local profile"),
        cancel_url=self_assessment.get_absolute_url(),
        lead="The National Indicators your plan uses: the latest figure for each, and what it shows.",
        empty="Your plan has no National Indicators, so the local profile is empty." if not entries else "",
        **_draft_only(self_assessment),
    )


@require_http_methods(["GET", "POST"])
def evidence_add(request, pk):
    self_assessment = _self_assessment(request, pk)
    require(request.user, "improvement.change_selfassessment", self_assessment)
    answers = list(self_assessment.answers.all())
    form = EvidenceForm(posted(request), request.FILES or None, answers=answers)
    outcome = submit(
        request,
        form,
        lambda data: services.upload_evidence(
            actor=request.user,
            self_assessment=self_assessment,
            upload=data["file"],
            title=data["title"],
            answer=data["answer"],
        ),
        success=lambda evidence: f"“{evidence.title}” has been uploaded",
        then=f"{self_assessment.get_absolute_url()}#evidence",
    )
    return outcome.response or form_page(
        request,
        outcome.form,
        title="Add evidence",
        caption=str(self_assessment),
        crumbs=sa_crumbs(self_assessment, "Add evidence"),
        cancel_url=self_assessment.get_absolute_url(),
        lead="Documents the peer challenge team can read with your self-assessment once it is shared.",
        **_draft_only(self_assessment),
    )


def _evidence(request, pk):
    return get_object_or_404(
        Evidence.objects.select_related("self_assessment__authority", "answer__area"),
        pk=pk,
        self_assessment__in=SelfAssessment.objects.visible_to(request.user).values("pk"),
    )


@require_GET
def evidence_download(request, pk):
    evidence = _evidence(request, pk)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as error:
        raise Http404("The document is missing") from error
    extension = evidence.file.name.rsplit(".", 1)[-1]
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{slugify(evidence.title)[:80] or 'evidence'}.{extension}",
        content_type=evidence.content_type,
    )


@require_http_methods(["GET", "POST"])
def evidence_remove(request, pk):
    evidence = _evidence(request, pk)
    self_assessment = evidence.self_assessment
    require(request.user, "improvement.change_selfassessment", self_assessment)
    form = ConfirmForm(posted(request), button="Remove the document", warning=True)
    outcome = submit(
        request,
        form,
        lambda data: services.remove_evidence(actor=request.user, evidence=evidence),
        success=f"“{evidence.title}” has been removed",
        then=f"{self_assessment.get_absolute_url()}#evidence",
    )
    return outcome.response or form_page(
        request,
        outcome.form,
        title=f"Remove “{evidence.title}”?",
        caption=str(self_assessment),
        crumbs=sa_crumbs(self_assessment, "Remove evidence"),
        cancel_url=self_assessment.get_absolute_url(),
        **_draft_only(self_assessment),
    )


@require_http_methods(["GET", "POST"])
def share(request, pk):
    self_assessment = _self_assessment(request, pk)
    require(request.user, "improvement.share_selfassessment", self_assessment)
    form = ConfirmForm(posted(request), button="Share for peer challenge")
    outcome = submit(
        request,
        form,
        lambda data: services.share_self_assessment(actor=request.user, self_assessment=self_assessment),
        success="The self-assessment has been shared for peer challenge. Your regional leads have been told.",
        then=self_assessment.get_absolute_url(),
    )
    answers = list(self_assessment.answers.all())
    return outcome.response or form_page(
        request,
        outcome.form,
        title="Share the self-assessment for peer challenge",
        caption=str(self_assessment),
        crumbs=sa_crumbs(self_assessment, "Share for peer challenge"),
        cancel_url=self_assessment.get_absolute_url(),
        lead="Once shared, your region's regional leads can set up a peer challenge, and the team they invite "
        "can read it. It then no longer changes.",
        template="improvement/share.html",
        answers=answers,
        sa=self_assessment,
        **_draft_only(self_assessment),
    )


urlpatterns = [
    path("self-assessments/start/", start, name="self_assessment_start"),
    path("self-assessments/<int:pk>/", detail, name="self_assessment"),
    path("self-assessments/<int:pk>/self-evaluation/", summary, name="self_assessment_summary"),
    path("self-assessments/<int:pk>/local-profile/", profile, name="self_assessment_profile"),
    path("self-assessments/<int:pk>/evidence/add/", evidence_add, name="evidence_add"),
    path("self-assessments/<int:pk>/share/", share, name="self_assessment_share"),
    path("self-assessments/areas/<int:pk>/", answer, name="self_assessment_area"),
    path("evidence/<int:pk>/", evidence_download, name="evidence_download"),
    path("evidence/<int:pk>/remove/", evidence_remove, name="evidence_remove"),
]
