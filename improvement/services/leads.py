"""Improvement services: regional leads (a DCS or an administrator appointed by an administrator)
and the inspection records administrators keep, from which support may be brokered."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.urls import reverse

from accounts.audit import record
from accounts.models import AuditEvent, Role, User
from accounts.permissions import require
from core.errors import ServiceError
from core.notify import absolute_url, queue_email

from ..models import InspectionRecord
from .common import clean_text, save

if TYPE_CHECKING:
    from authorities.models import LocalAuthority

__all__ = ["appoint_regional_lead", "stand_down_regional_lead", "record_inspection"]


def _set_lead(actor: User, user: User, value: bool, verb: str) -> tuple[User, AuditEvent]:
    with transaction.atomic():
        user = User.objects.select_for_update(of=("self",)).select_related("authority").get(pk=user.pk)
        if user.is_regional_lead == value:
            raise ServiceError(f"{user} is {'already' if value else 'not'} a regional lead.", field="user")
        user.is_regional_lead = value
        user.save(update_fields=["is_regional_lead"])
        event = record(
            AuditEvent.Action.ACCOUNT_CHANGED,
            actor=actor,
            obj=user,
            summary=f"Account {user.email} {verb} regional lead for sector-led improvement",
            details={"fields": ["is_regional_lead"], "is_regional_lead": [not value, value]},
        )
    return user, event


def appoint_regional_lead(*, actor: User, user: User) -> User:
    """Make a DCS (for their authority's region) or an administrator (for their region, or every
    region) a regional lead, who sets up peer challenges. They are told by email."""
    require(actor, "improvement.appoint_regional_lead", user)
    if not user.is_active or user.role not in (Role.DCS, Role.ADMIN):
        raise ServiceError("A regional lead is a Director of Children's Services or an administrator", field="user")
    if user.role == Role.DCS and user.authority_id is None:
        raise ServiceError(f"{user} has no authority recorded: a DCS leads in their authority's region", field="user")
    with transaction.atomic():
        user, event = _set_lead(actor, user, True, "appointed")
        queue_email(
            key=f"regional-lead-appointed:{user.pk}:{event.pk}",
            recipients=[user],
            subject="You are a regional lead for sector-led improvement",
            template="improvement/email/regional_lead_appointed.txt",
            context={"user": user, "actor": actor, "link": absolute_url(reverse("improvement:index"))},
        )
    return user


def stand_down_regional_lead(*, actor: User, user: User) -> User:
    """The user is no longer a regional lead (peer challenges they set up carry on under the region's
    other leads)."""
    require(actor, "improvement.appoint_regional_lead", user)
    return _set_lead(actor, user, False, "stood down as")[0]


def record_inspection(
    *,
    actor: User,
    authority: LocalAuthority,
    title: str,
    published_on: date | None,
    overall: str,
    areas_for_improvement: str,
    summary: str = "",
    inspectorate: str = "Ofsted",
) -> InspectionRecord:
    """An administrator records an inspection's outcome: its areas for improvement (one a line) are
    what a broker may turn into a support package."""
    require(actor, "improvement.record_inspection", authority)
    title = clean_text(title, field="title", required_message="Enter the name of the inspection", max_length=200)
    inspectorate = clean_text(
        inspectorate, field="inspectorate", required_message="Enter the inspectorate", max_length=100
    )
    summary = clean_text(summary, field="summary", max_length=10000)
    areas_for_improvement = clean_text(
        areas_for_improvement,
        field="areas_for_improvement",
        required_message="Enter the areas for improvement, one a line",
        max_length=10000,
    )
    if overall not in InspectionRecord.Judgement.values:
        raise ServiceError("Select the overall judgement", field="overall")
    if published_on is None:
        raise ServiceError("Enter the date the report was published", field="published_on")
    with transaction.atomic():
        inspection = InspectionRecord(
            authority=authority,
            inspectorate=inspectorate,
            title=title,
            published_on=published_on,
            overall=overall,
            summary=summary,
            areas_for_improvement=areas_for_improvement,
            recorded_by=actor,
        )
        save(inspection, actor, "Inspection recorded")
    return inspection
