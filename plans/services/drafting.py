"""Plan services: drafting — the plan itself, its priorities (Annex 2 rows), needs, good-practice
areas and deployment plans (part 2 of the JISP).

The lead CSA drafts (``plans.change_jisp``) while the plan is in draft or with the authority; the
authority's DCS and officers may propose needs then too (``plans.propose_need``), marked as the
authority's. Edits carry ``lock_version``: a save over a newer version raises ``StaleEditError``
and writes nothing. Each function checks permission (PermissionDenied), then state (ServiceError),
and runs in one transaction with ``_history_user`` set for django-simple-history.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from accounts.permissions import can, require
from authorities.models import NationalIndicator
from core.errors import ServiceError, StaleEditError
from core.locking import check_and_bump
from core.uploads import sniff, too_big_message

from ..models import JISP, DeploymentPlan, GoodPractice, Need, Offer, Priority, validate_period

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from accounts.models import User
    from authorities.models import LocalAuthority
    from providers.models import Provider

__all__ = [
    "create_jisp",
    "add_priority",
    "edit_priority",
    "move_priority",
    "reorder_priorities",
    "remove_priority",
    "add_need",
    "propose_need",
    "edit_need",
    "remove_need",
    "add_good_practice",
    "edit_good_practice",
    "remove_good_practice",
    "good_practice_fingerprint",
    "upload_deployment_plan",
    "remove_deployment_plan",
    "store_deployment_plan",
    "DEPLOYMENT_PLAN_TYPES",
]

S = JISP.Status

#: extension → (content type, label)
DEPLOYMENT_PLAN_TYPES = {
    "pdf": ("application/pdf", "PDF"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word document (DOCX)"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel spreadsheet (XLSX)"),
}


# --- helpers --------------------------------------------------------------------------------------


def _locked_plan(jisp_id: int) -> JISP:
    return JISP.objects.select_for_update(of=("self",)).select_related("authority").get(pk=jisp_id)


def _expect_editable(jisp: JISP, action: str = "change the plan") -> None:
    if not jisp.is_editable:
        raise ServiceError(
            f"You cannot {action} now: the plan is {jisp.get_status_display().lower()}. "
            "Plans can be changed only while they are in draft or with the authority.",
            field="__all__",
        )


def _save(obj: JISP | Priority | Need | Offer, actor: User, reason: str | None = None) -> None:
    obj._history_user = actor
    if reason:
        obj._change_reason = reason
    obj.save()


def _clean_text(value: str | None, *, field: str, required_message: str | None, max_length: int | None = None) -> str:
    value = (value or "").strip()
    if required_message and not value:
        raise ServiceError(required_message, field=field)
    if max_length and len(value) > max_length:
        raise ServiceError(f"Enter no more than {max_length} characters", field=field)
    return value


def _check_indicators(indicators: Iterable[NationalIndicator | int | str] | None) -> list[NationalIndicator]:
    """National Indicators given as objects or ids (primary keys), as the indicator objects; an id
    that is not in the National Indicator Set is refused (a ServiceError on the field)."""
    given: list[Any] = [getattr(ni, "pk", ni) for ni in indicators or ()]
    try:
        wanted = list(dict.fromkeys(int(pk) for pk in given))
    except (TypeError, ValueError) as error:
        raise ServiceError("Select National Indicators from the list", field="indicators") from error
    found = NationalIndicator.objects.in_bulk(wanted)
    missing = [str(pk) for pk in wanted if pk not in found]
    if missing:
        raise ServiceError(
            # A message to the user, not SQL ("select" is the verb).
            f"There is no National Indicator with the id {', '.join(missing)}: select indicators from the list",  # noqa: S608
            field="indicators",
        )
    return [found[pk] for pk in wanted]


# --- the plan -------------------------------------------------------------------------------------


def create_jisp(*, actor: User, authority: LocalAuthority, period: str) -> JISP:
    """Start version 1 of an authority's plan for a period, in draft, with the authority's CSA.

    A second plan for the same authority and period is refused; the error's ``details`` hold the
    existing plan (revise it, or open it, instead)."""
    require(actor, "plans.add_jisp", authority)
    period = (period or "").strip()
    try:
        validate_period(period)
    except ValidationError as error:
        raise ServiceError(error.messages[0], field="period") from error
    with transaction.atomic():
        existing = JISP.objects.filter(authority=authority, period=period).order_by("-version").first()
        if existing is not None:
            raise ServiceError(
                f"{authority} already has a plan for {period} (version {existing.version}, "
                f"{existing.get_status_display().lower()}). Open that plan instead: an approved plan is changed "
                "in-year by revising it.",
                field="period",
                details=[existing],
            )
        jisp = JISP(authority=authority, period=period, version=1, status=S.DRAFT, csa=authority.csa or actor)
        _save(jisp, actor, "Plan started")
    return jisp


# --- priorities -----------------------------------------------------------------------------------


def _priority_fields(title: str, description: str) -> tuple[str, str]:
    title = _clean_text(title, field="title", required_message="Enter the priority", max_length=300)
    description = (description or "").strip()
    return title, description


def add_priority(
    *,
    actor: User,
    jisp: JISP,
    title: str,
    description: str = "",
    is_workforce: bool = False,
    indicators: Iterable[NationalIndicator | int | str] = (),
) -> Priority:
    """Add a priority (an Annex 2 row) at the end of the plan."""
    require(actor, "plans.change_jisp", jisp)
    title, description = _priority_fields(title, description)
    indicators = _check_indicators(indicators)
    with transaction.atomic():
        jisp = _locked_plan(jisp.pk)
        _expect_editable(jisp, "add a priority")
        last = Priority.objects.filter(jisp=jisp).aggregate(m=Max("order"))["m"] or 0
        priority = Priority(
            jisp=jisp, order=last + 1, title=title, description=description, is_workforce=bool(is_workforce)
        )
        _save(priority, actor)
        priority.indicators.set(indicators)
    return priority


def _locked_priority(priority: Priority) -> Priority:
    return Priority.objects.select_for_update(of=("self",)).select_related("jisp__authority").get(pk=priority.pk)


def edit_priority(
    *,
    actor: User,
    priority: Priority,
    lock_version: int,
    title: str,
    description: str = "",
    is_workforce: bool = False,
    indicators: Iterable[NationalIndicator | int | str] = (),
) -> Priority:
    """Change a priority's title, description, workforce flag and National Indicators."""
    require(actor, "plans.change_jisp", priority.jisp)
    title, description = _priority_fields(title, description)
    indicators = _check_indicators(indicators)
    with transaction.atomic():
        _locked_plan(priority.jisp_id)
        priority = _locked_priority(priority)
        _expect_editable(priority.jisp, "change this priority")
        check_and_bump(priority, lock_version)
        priority.title, priority.description, priority.is_workforce = title, description, bool(is_workforce)
        _save(priority, actor)
        priority.indicators.set(indicators)
    return priority


def reorder_priorities(*, actor: User, jisp: JISP, order: Iterable[int | str]) -> list[Priority]:
    """Put the plan's priorities in the given order (a list of priority ids; every one, once)."""
    require(actor, "plans.change_jisp", jisp)
    with transaction.atomic():
        jisp = _locked_plan(jisp.pk)
        _expect_editable(jisp, "reorder the priorities")
        priorities = {p.pk: p for p in Priority.objects.select_for_update().filter(jisp=jisp)}
        try:
            wanted = [int(pk) for pk in order]
        except (TypeError, ValueError) as error:
            raise ServiceError("Give every priority of the plan once", field="order") from error
        if sorted(wanted) != sorted(priorities):
            raise ServiceError(
                "The priorities changed while you were reordering them. Check the plan and try again.",
                field="order",
            )
        for position, pk in enumerate(wanted, start=1):
            priority = priorities[pk]
            if priority.order != position:
                priority.order = position
                priority.lock_version += 1
                _save(priority, actor, "Reordered")
    return [priorities[pk] for pk in wanted]


def move_priority(*, actor: User, priority: Priority, direction: str) -> list[Priority]:
    """Move a priority one place ``"up"`` or ``"down"`` (the buttons that work without JavaScript)."""
    if direction not in ("up", "down"):
        raise ServiceError("Choose up or down", field="direction")
    require(actor, "plans.change_jisp", priority.jisp)
    ids = list(Priority.objects.filter(jisp_id=priority.jisp_id).order_by("order", "pk").values_list("pk", flat=True))
    index = ids.index(priority.pk)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(ids):
        ids[index], ids[target] = ids[target], ids[index]
    return reorder_priorities(actor=actor, jisp=priority.jisp, order=ids)


def remove_priority(*, actor: User, priority: Priority) -> None:
    """Remove a priority with its needs. Refused while it has offers that are not withdrawn: withdraw
    them first, so no provider's offer disappears unnoticed."""
    require(actor, "plans.change_jisp", priority.jisp)
    with transaction.atomic():
        _locked_plan(priority.jisp_id)
        priority = _locked_priority(priority)
        _expect_editable(priority.jisp, "remove this priority")
        live = priority.offers.exclude(status=Offer.Status.WITHDRAWN).count()
        if live:
            raise ServiceError(
                f"This priority has {live} offer{'s' if live != 1 else ''} that {'are' if live != 1 else 'is'} "
                "not withdrawn. Withdraw them before you remove the priority.",
                field="__all__",
            )
        for need in priority.needs.all():
            need._history_user = actor
            need.delete()
        priority._history_user = actor
        priority.delete()
        remaining = Priority.objects.filter(jisp_id=priority.jisp_id).order_by("order", "pk")
        for position, p in enumerate(remaining, start=1):
            if p.order != position:
                Priority.objects.filter(pk=p.pk).update(order=position)


# --- needs ----------------------------------------------------------------------------------------


def _need_text(description: str) -> str:
    return _clean_text(description, field="description", required_message="Enter the need", max_length=5000)


def _create_need(
    actor: User, priority: Priority, description: str, from_workforce_tool: bool, by_authority: bool
) -> Need:
    with transaction.atomic():
        jisp = _locked_plan(priority.jisp_id)
        _expect_editable(jisp, "add a need")
        last = Need.objects.filter(priority_id=priority.pk).aggregate(m=Max("order"))["m"] or 0
        need = Need(
            priority_id=priority.pk,
            order=last + 1,
            description=description,
            from_workforce_tool=bool(from_workforce_tool),
            proposed_by_authority=by_authority,
            proposed_by=actor if by_authority else None,
        )
        _save(need, actor, "Proposed by the authority" if by_authority else None)
    return need


def add_need(*, actor: User, priority: Priority, description: str, from_workforce_tool: bool = False) -> Need:
    """The lead CSA adds a need to a priority. Anyone else allowed to propose needs (the authority's
    DCS and officers) goes through ``propose_need``: call that when in doubt."""
    require(actor, "plans.change_jisp", priority.jisp)
    return _create_need(actor, priority, _need_text(description), from_workforce_tool, by_authority=False)


def propose_need(*, actor: User, priority: Priority, description: str, from_workforce_tool: bool = False) -> Need:
    """A need added by whoever may propose one: the lead CSA (an ordinary need) or the authority's DCS
    or an LA officer (marked as proposed by the authority), while the plan is in draft or with the
    authority."""
    require(actor, "plans.propose_need", priority.jisp)
    by_authority = not can(actor, "plans.change_jisp", priority.jisp)
    return _create_need(actor, priority, _need_text(description), from_workforce_tool, by_authority=by_authority)


def edit_need(
    *, actor: User, need: Need, lock_version: int, description: str, from_workforce_tool: bool = False
) -> Need:
    require(actor, "plans.change_jisp", need.priority.jisp)
    description = _need_text(description)
    with transaction.atomic():
        _locked_plan(need.priority.jisp_id)
        need = Need.objects.select_for_update(of=("self",)).select_related("priority__jisp").get(pk=need.pk)
        _expect_editable(need.priority.jisp, "change this need")
        check_and_bump(need, lock_version)
        need.description, need.from_workforce_tool = description, bool(from_workforce_tool)
        _save(need, actor)
    return need


def remove_need(*, actor: User, need: Need) -> None:
    """Remove a need; offers that answered it stay on the priority."""
    require(actor, "plans.change_jisp", need.priority.jisp)
    with transaction.atomic():
        jisp = _locked_plan(need.priority.jisp_id)
        _expect_editable(jisp, "remove this need")
        need = Need.objects.select_for_update(of=("self",)).get(pk=need.pk)
        need._history_user = actor
        need.delete()


# --- good practice --------------------------------------------------------------------------------


def good_practice_fingerprint(good_practice: GoodPractice) -> str:
    """A short digest of what the editor was shown: good-practice areas have no lock_version, so a
    stale save is recognised by the text having changed since the form was opened."""
    text = f"{good_practice.area}\x1f{good_practice.description}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _good_practice_fields(area: str, description: str) -> tuple[str, str]:
    area = _clean_text(area, field="area", required_message="Enter the area of good practice", max_length=200)
    return area, (description or "").strip()


def add_good_practice(*, actor: User, jisp: JISP, area: str, description: str = "") -> GoodPractice:
    require(actor, "plans.change_jisp", jisp)
    area, description = _good_practice_fields(area, description)
    with transaction.atomic():
        jisp = _locked_plan(jisp.pk)
        _expect_editable(jisp, "add good practice")
        return GoodPractice.objects.create(jisp=jisp, area=area, description=description)


def edit_good_practice(
    *, actor: User, good_practice: GoodPractice, fingerprint: str, area: str, description: str = ""
) -> GoodPractice:
    require(actor, "plans.change_jisp", good_practice.jisp)
    area, description = _good_practice_fields(area, description)
    with transaction.atomic():
        jisp = _locked_plan(good_practice.jisp_id)
        _expect_editable(jisp, "change good practice")
        current = GoodPractice.objects.select_for_update().get(pk=good_practice.pk)
        if fingerprint != good_practice_fingerprint(current):
            raise StaleEditError(current)
        current.area, current.description = area, description
        current.save()
    return current


def remove_good_practice(*, actor: User, good_practice: GoodPractice) -> None:
    require(actor, "plans.change_jisp", good_practice.jisp)
    with transaction.atomic():
        jisp = _locked_plan(good_practice.jisp_id)
        _expect_editable(jisp, "remove good practice")
        GoodPractice.objects.filter(pk=good_practice.pk).delete()


# --- deployment plans -----------------------------------------------------------------------------


def _plain_name(name: str | None) -> str:
    base = os.path.basename((name or "").replace("\\", "/")).strip()
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '"<>|:*?')
    return base[-200:] or "deployment-plan"


def _expect_accepts_deployment_plans(jisp: JISP) -> None:
    if not (jisp.is_editable or jisp.status == S.APPROVED):
        raise ServiceError(
            f"You cannot change the deployment plans now: the plan is {jisp.get_status_display().lower()}.",
            field="__all__",
        )


def upload_deployment_plan(
    *, actor: User, jisp: JISP, provider: Provider, upload: UploadedFile | None
) -> DeploymentPlan:
    """Hold a provider's deployment plan (part 2 of the JISP) with the plan: a PDF, DOCX or XLSX of at
    most 20 MB, recognised by its content (the extension must agree), stored under a generated name."""
    require(actor, "plans.change_jisp", jisp)
    return store_deployment_plan(actor=actor, jisp=jisp, provider=provider, upload=upload)


def store_deployment_plan(
    *, actor: User, jisp: JISP, provider: Provider, upload: UploadedFile | None
) -> DeploymentPlan:
    """The upload itself, once the caller has checked the permission (``upload_deployment_plan``, or
    ``changes.upload_offer_deployment_plan`` for a provider's own offer)."""
    if upload is None:
        raise ServiceError("Select a deployment plan to upload", field="file")
    size = upload.size or 0
    if size == 0:
        raise ServiceError("The selected file is empty", field="file")
    if size > settings.UPLOAD_MAX_BYTES:
        raise ServiceError(too_big_message(), field="file")
    original = _plain_name(getattr(upload, "original_name", upload.name))
    extension = original.rsplit(".", 1)[-1].lower() if "." in original else ""
    kind = sniff(upload)
    if kind is None or extension not in DEPLOYMENT_PLAN_TYPES:
        raise ServiceError("The selected file must be a PDF, DOCX or XLSX", field="file")
    if kind != extension:
        raise ServiceError(
            f"The selected file is a {DEPLOYMENT_PLAN_TYPES[kind][1]} but its name ends .{extension}. "
            "Rename it or select the right file.",
            field="file",
        )
    with transaction.atomic():
        jisp = _locked_plan(jisp.pk)
        _expect_accepts_deployment_plans(jisp)
        plan = DeploymentPlan(
            jisp=jisp,
            provider=provider,
            original_name=original,
            content_type=DEPLOYMENT_PLAN_TYPES[kind][0],
            size=size,
            uploaded_by=actor,
        )
        stored = f"jisp-{jisp.pk}-{secrets.token_hex(16)}.{kind}"
        upload.seek(0)
        plan.file.save(stored, upload, save=False)
        try:
            plan.save()
        except Exception:
            plan.file.delete(save=False)
            raise
    return plan


def remove_deployment_plan(*, actor: User, deployment_plan: DeploymentPlan) -> None:
    """Remove a deployment plan from a plan that can still change. An approved plan keeps its
    deployment plans (its signed-off PDF lists them); a revision's copies share the approved plan's
    files, so a file is deleted only when no plan holds it any more."""
    require(actor, "plans.change_jisp", deployment_plan.jisp)
    with transaction.atomic():
        jisp = _locked_plan(deployment_plan.jisp_id)
        if not jisp.is_editable:
            raise ServiceError(
                f"You cannot remove a deployment plan now: the plan is {jisp.get_status_display().lower()}. "
                "An approved plan keeps the deployment plans its signed-off PDF lists.",
                field="__all__",
            )
        name = deployment_plan.file.name
        storage = deployment_plan.file.storage
        DeploymentPlan.objects.filter(pk=deployment_plan.pk).delete()
        shared = DeploymentPlan.objects.filter(file=name).exists()
        if name and not shared:
            transaction.on_commit(lambda: storage.delete(name))
