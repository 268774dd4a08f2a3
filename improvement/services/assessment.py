"""Improvement services: the self-assessment — started by the authority against the current
framework, written area by area (a judgement on the area's scale and the evidence), with its local
profile (the National Indicators of its plan) and evidence documents, then shared by its DCS for peer
challenge. A shared self-assessment no longer changes: it is what the peer challenge tests.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.permissions import require
from core.errors import ServiceError
from core.locking import check_and_bump
from core.notify import absolute_url, queue_email
from core.uploads import sniff, too_big_message
from core.working_days import london_date
from plans.models import validate_period
from plans.queries.indicators import plan_indicators

from ..models import (
    AssessmentFramework,
    Evidence,
    JudgementLevel,
    ProfileEntry,
    SelfAssessment,
    SelfAssessmentArea,
    financial_year,
)
from .common import clean_text, regional_leads, save

if TYPE_CHECKING:
    from accounts.models import User
    from authorities.models import LocalAuthority

__all__ = [
    "EVIDENCE_TYPES",
    "start_self_assessment",
    "save_summary",
    "answer_area",
    "save_profile",
    "upload_evidence",
    "remove_evidence",
    "share_self_assessment",
]

#: kind → (content type, label) of evidence documents
EVIDENCE_TYPES = {
    "pdf": ("application/pdf", "PDF"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word document (DOCX)"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel spreadsheet (XLSX)"),
    "odt": ("application/vnd.oasis.opendocument.text", "OpenDocument text (ODT)"),
}

S = SelfAssessment.Status


def _locked(self_assessment: SelfAssessment) -> SelfAssessment:
    return (
        SelfAssessment.objects.select_for_update(of=("self",))
        .select_related("authority", "authority__region", "authority__dcs", "framework")
        .get(pk=self_assessment.pk)
    )


def _expect_draft(self_assessment: SelfAssessment, action: str) -> None:
    if self_assessment.status != S.DRAFT:
        raise ServiceError(
            f"You cannot {action} now: the self-assessment has been shared for peer challenge and no longer changes.",
            field="__all__",
        )


def start_self_assessment(*, actor: User, authority: LocalAuthority, year: str | None = None) -> SelfAssessment:
    """Start the authority's self-assessment for a year (default: this financial year) against the
    current framework: one answer per area, and a local-profile line for each National Indicator of
    its plan. A second self-assessment for the same year is refused (``details``: the existing one)."""
    require(actor, "improvement.add_selfassessment", authority)
    year = (year or financial_year(london_date())).strip()
    try:
        validate_period(year)
    except ValidationError as error:
        raise ServiceError(error.messages[0], field="year") from error
    framework = AssessmentFramework.objects.filter(is_current=True).prefetch_related("areas").first()
    if framework is None or not framework.areas.all():
        raise ServiceError(
            "There is no self-assessment framework yet: ask an administrator to set one up.", field="__all__"
        )
    with transaction.atomic():
        existing = SelfAssessment.objects.filter(authority=authority, year=year).first()
        if existing is not None:
            raise ServiceError(
                f"{authority} already has a self-assessment for {year}. Open it instead.",
                field="year",
                details=[existing],
            )
        self_assessment = SelfAssessment(authority=authority, year=year, framework=framework, created_by=actor)
        save(self_assessment, actor, "Self-assessment started")
        bulk_create_with_history(
            [SelfAssessmentArea(self_assessment=self_assessment, area=area) for area in framework.areas.all()],
            SelfAssessmentArea,
            default_user=actor,
        )
        _plan, indicators = plan_indicators(authority)
        bulk_create_with_history(
            [ProfileEntry(self_assessment=self_assessment, indicator=indicator) for indicator in indicators],
            ProfileEntry,
            default_user=actor,
        )
    return self_assessment


def save_summary(
    *, actor: User, self_assessment: SelfAssessment, summary: str, lock_version: int | str | None
) -> SelfAssessment:
    """The overall self-evaluation: how well the authority knows itself, in a few paragraphs."""
    require(actor, "improvement.change_selfassessment", self_assessment)
    summary = clean_text(summary, field="summary", max_length=20000)
    with transaction.atomic():
        self_assessment = _locked(self_assessment)
        _expect_draft(self_assessment, "change the self-evaluation")
        check_and_bump(self_assessment, lock_version)
        self_assessment.summary = summary
        save(self_assessment, actor)
    return self_assessment


def answer_area(
    *,
    actor: User,
    answer: SelfAssessmentArea,
    judgement: JudgementLevel | int | None,
    evidence: str,
    lock_version: int | str | None,
) -> SelfAssessmentArea:
    """The authority's judgement of one area (a grade of the area's own scale) and its evidence."""
    require(actor, "improvement.change_selfassessment", answer.self_assessment)
    evidence = clean_text(evidence, field="evidence", max_length=20000)
    if judgement is not None:
        level_id = judgement.pk if isinstance(judgement, JudgementLevel) else int(judgement)
        judgement = JudgementLevel.objects.filter(pk=level_id, area_id=answer.area_id).first()
        if judgement is None:
            raise ServiceError(f"Select a judgement on the scale of {answer.area}", field="judgement")
    with transaction.atomic():
        self_assessment = _locked(answer.self_assessment)
        _expect_draft(self_assessment, "change this area")
        answer = SelfAssessmentArea.objects.select_for_update(of=("self",)).select_related("area").get(pk=answer.pk)
        check_and_bump(answer, lock_version)
        answer.judgement, answer.evidence = judgement, evidence
        save(answer, actor)
    return answer


def save_profile(
    *, actor: User, self_assessment: SelfAssessment, entries: dict[Any, tuple[str, str]]
) -> SelfAssessment:
    """The local profile: ``entries`` maps each profile line's id to (latest figure, comment)."""
    require(actor, "improvement.change_selfassessment", self_assessment)
    with transaction.atomic():
        self_assessment = _locked(self_assessment)
        _expect_draft(self_assessment, "change the local profile")
        rows = {row.pk: row for row in ProfileEntry.objects.filter(self_assessment=self_assessment)}
        changed = []
        for pk, (figure, comment) in entries.items():
            row = rows.get(int(pk))
            if row is None:
                raise ServiceError("The local profile changed while you were editing it. Try again.", field="__all__")
            row.figure = clean_text(figure, field=f"figure_{pk}", max_length=100)
            row.comment = clean_text(comment, field=f"comment_{pk}", max_length=2000)
            changed.append(row)
        bulk_update_with_history(changed, ProfileEntry, ["figure", "comment"], default_user=actor)
        self_assessment.lock_version += 1
        save(self_assessment, actor, "Local profile updated")
    return self_assessment


def upload_evidence(
    *, actor: User, self_assessment: SelfAssessment, upload: Any, title: str, answer: SelfAssessmentArea | None = None
) -> Evidence:
    """Attach a document (PDF, DOCX, XLSX or ODT, recognised by its content, at most
    ``UPLOAD_MAX_BYTES``) to the self-assessment, optionally for one area. Stored under a generated
    name; served only to those who may see the self-assessment."""
    require(actor, "improvement.change_selfassessment", self_assessment)
    title = clean_text(title, field="title", required_message="Enter what the document shows", max_length=200)
    if upload is None:
        raise ServiceError("Select a document to upload", field="file")
    if upload.size == 0:
        raise ServiceError("The selected file is empty", field="file")
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise ServiceError(too_big_message(), field="file")
    kind = sniff(upload)
    if kind not in EVIDENCE_TYPES:
        raise ServiceError("The selected file must be a PDF, DOCX, XLSX or ODT", field="file")
    if answer is not None and answer.self_assessment_id != self_assessment.pk:
        raise ServiceError("Select an area of this self-assessment", field="answer")
    original = str(getattr(upload, "original_name", upload.name) or "evidence")[-200:]
    with transaction.atomic():
        self_assessment = _locked(self_assessment)
        _expect_draft(self_assessment, "add evidence")
        evidence = Evidence(
            self_assessment=self_assessment,
            answer=answer,
            title=title,
            original_name=original,
            content_type=EVIDENCE_TYPES[kind][0],
            size=upload.size,
            uploaded_by=actor,
        )
        upload.seek(0)
        evidence.file.save(f"sa-{self_assessment.pk}-{secrets.token_hex(16)}.{kind}", upload, save=False)
        evidence._history_user = actor
        try:
            evidence.save()
        except Exception:
            evidence.file.delete(save=False)
            raise
    return evidence


def remove_evidence(*, actor: User, evidence: Evidence) -> None:
    require(actor, "improvement.change_selfassessment", evidence.self_assessment)
    with transaction.atomic():
        _expect_draft(_locked(evidence.self_assessment), "remove evidence")
        evidence = Evidence.objects.select_for_update().get(pk=evidence.pk)
        name, storage = evidence.file.name, evidence.file.storage
        evidence._history_user = actor
        evidence.delete()
        transaction.on_commit(lambda: storage.delete(name) if name else None)


def share_self_assessment(*, actor: User, self_assessment: SelfAssessment) -> SelfAssessment:
    """The DCS shares the self-assessment for peer challenge: every area judged with its evidence,
    and the overall self-evaluation written. The region's regional leads are told; from now on the
    self-assessment does not change."""
    require(actor, "improvement.share_selfassessment", self_assessment)
    with transaction.atomic():
        self_assessment = _locked(self_assessment)
        _expect_draft(self_assessment, "share the self-assessment")
        if not self_assessment.summary.strip():
            raise ServiceError("Write the overall self-evaluation before you share the self-assessment.")
        missing = [
            str(a.area)
            for a in self_assessment.answers.select_related("area").order_by("area__order", "area_id")
            if not a.is_complete
        ]
        if missing:
            raise ServiceError(
                "Give a judgement and evidence for every area before you share the self-assessment. Still to do: "
                + ", ".join(missing)
                + ".",
                details=missing,
            )
        self_assessment.status = S.SHARED
        self_assessment.shared_at, self_assessment.shared_by = timezone.now(), actor
        self_assessment.lock_version += 1
        save(self_assessment, actor, "Shared for peer challenge")
        authority = self_assessment.authority
        queue_email(
            key=f"self-assessment-shared:{self_assessment.pk}",
            recipients=regional_leads(authority),
            subject=f"{authority} has shared its self-assessment {self_assessment.year} for peer challenge",
            template="improvement/email/self_assessment_shared.txt",
            context={
                "self_assessment": self_assessment,
                "authority": authority,
                "actor": actor,
                "link": absolute_url(reverse("improvement:self_assessment", kwargs={"pk": self_assessment.pk})),
            },
        )
    return self_assessment
