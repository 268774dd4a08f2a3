"""Plan services: importing an Annex 2 document (Word or Excel) as a draft plan.

Only the authority's lead CSA imports (``plans.add_jisp``), and only when the authority has no plan
for the period yet. The page works in two steps so that nothing is created before the CSA has seen
it: ``start_import`` checks and reads the file, keeps it (under a generated name, outside the web
root) with its preview as a pending ``AnnexImport`` for a day; ``confirm_import`` reads the kept
file again and calls ``import_annex2`` with the providers the CSA chose. The command
``manage.py import_annex2`` calls ``preview_annex2`` and ``import_annex2`` directly.

``import_annex2`` creates, in one transaction, the plan in draft, its priorities (with their
National Indicators), needs and offers. The offers are **accepted** with the document's text: they
were agreed on paper. Each offer gets its history (who imported it, from which document) and an
"accepted" entry on its timeline saying so; no email is sent (nothing was asked of anyone). The
original document is kept with the plan (the ``AnnexImport``, status imported).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.signals import post_create_historical_record
from simple_history.utils import bulk_create_with_history

from accounts.permissions import require
from authorities.models import LocalAuthority, NationalIndicator
from core.errors import ServiceError
from core.uploads import sniff, too_big_message
from providers.models import Provider

from ..imports import KIND_LABELS, DocumentRefused, Preview, build_preview, read_document
from ..imports.preview import SKIP, period_end
from ..models import JISP, AnnexImport, Need, Offer, OfferEvent, Priority, validate_period

if TYPE_CHECKING:
    from django.core.files import File

    from accounts.models import User

__all__ = [
    "IMPORT_HOURS",
    "SKIP",
    "preview_annex2",
    "start_import",
    "confirm_import",
    "cancel_import",
    "import_annex2",
    "purge_expired_imports",
]

#: how long an uploaded document waits for its confirmation
IMPORT_HOURS = 24
#: rows inserted per query when the plan is created
BATCH = 250
#: the models whose rows are inserted in bulk with their history
_Bulk = TypeVar("_Bulk", Need, Offer)


# --- checks ---------------------------------------------------------------------------------------


def _period(period: str | None) -> str:
    period = (period or "").strip()
    try:
        validate_period(period)
    except ValidationError as error:
        raise ServiceError(error.messages[0], field="period") from error
    return period


def _no_plan_yet(authority: LocalAuthority, period: str) -> None:
    existing = JISP.objects.filter(authority=authority, period=period).order_by("-version").first()
    if existing is not None:
        raise ServiceError(
            f"{authority} already has a plan for {period} (version {existing.version}, "
            f"{existing.get_status_display().lower()}). An imported document becomes a new plan: open that "
            "plan instead, or choose another period.",
            field="period",
            details=[existing],
        )


def _given(upload: File[bytes] | None) -> File[bytes]:
    """The upload, or a ServiceError on the file field if there is none."""
    if upload is None:
        raise ServiceError("Select an Annex 2 document to import", field="file")
    return upload


def _kind(upload: File[bytes]) -> str:
    """The upload's kind (docx or xlsx) from its content, within the upload limit."""
    size = getattr(upload, "size", None)
    if size == 0:
        raise ServiceError("The selected file is empty", field="file")
    if size is not None and size > settings.UPLOAD_MAX_BYTES:
        raise ServiceError(too_big_message(), field="file")
    kind = sniff(upload)
    if kind is None or kind not in KIND_LABELS:
        raise ServiceError(
            "The selected file must be a Word document (DOCX) or an Excel spreadsheet (XLSX)", field="file"
        )
    return kind


def _reference() -> tuple[list[tuple[int, str, str]], dict[int, str]]:
    providers = list(Provider.objects.order_by("name").values_list("id", "name", "abbreviation"))
    indicators = dict(NationalIndicator.objects.values_list("number", "title"))
    return providers, indicators


def _read(upload: File[bytes], *, authority: LocalAuthority, period: str) -> tuple[str, Preview]:
    """(kind, Preview) of the upload, or a ServiceError on the file field saying what is wrong."""
    kind = _kind(upload)
    providers, indicators = _reference()
    try:
        document = read_document(upload, kind)
        preview = build_preview(
            document, providers=providers, indicators=indicators, period=period, authority_name=authority.name
        )
    except DocumentRefused as error:
        raise ServiceError(error.message, field="file") from error
    return kind, preview


def _digest(upload: File[bytes]) -> str:
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: upload.read(1024 * 1024), b""):
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _original_name(upload: File[bytes]) -> str:
    name = str(getattr(upload, "original_name", None) or getattr(upload, "name", "") or "annex2")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(ch for ch in name if ch.isprintable())[-200:] or "annex2"


# --- the preview ----------------------------------------------------------------------------------


def preview_annex2(*, actor: User, authority: LocalAuthority, period: str, upload: File[bytes] | None) -> Preview:
    """What importing ``upload`` for ``authority`` and ``period`` would create (a ``Preview``); nothing
    is stored. Refused as the import itself would be."""
    require(actor, "plans.add_jisp", authority)
    period = _period(period)
    _no_plan_yet(authority, period)
    return _read(_given(upload), authority=authority, period=period)[1]


def start_import(*, actor: User, authority: LocalAuthority, period: str, upload: File[bytes] | None) -> AnnexImport:
    """Check and read the document, then keep it with its preview for ``IMPORT_HOURS`` as a pending
    ``AnnexImport`` for the lead CSA to check and confirm. Nothing else is created."""
    require(actor, "plans.add_jisp", authority)
    period = _period(period)
    _no_plan_yet(authority, period)
    upload = _given(upload)
    kind, preview = _read(upload, authority=authority, period=period)
    now = timezone.now()
    pending = AnnexImport(
        authority=authority,
        period=period,
        status=AnnexImport.Status.PENDING,
        original_name=_original_name(upload),
        kind=kind,
        size=upload.size,
        sha256=_digest(upload),
        preview=preview.to_dict(),
        uploaded_by=actor,
        created_at=now,
        expires_at=now + timedelta(hours=IMPORT_HOURS),
    )
    upload.seek(0)
    pending.file.save(f"annex2-{secrets.token_hex(16)}.{kind}", upload, save=False)
    try:
        with transaction.atomic():
            pending.save()
    except Exception:
        pending.file.delete(save=False)
        raise
    return pending


def _expect_pending(annex_import: AnnexImport) -> None:
    if annex_import.status == AnnexImport.Status.IMPORTED:
        raise ServiceError("This document has already been imported.", field="__all__", details=[annex_import.jisp])
    if annex_import.status == AnnexImport.Status.CANCELLED:
        raise ServiceError("This import was cancelled: upload the document again.", field="__all__")
    if annex_import.is_expired:
        raise ServiceError(
            f"This import has expired (an uploaded document waits {IMPORT_HOURS} hours for its confirmation): "
            "upload the document again.",
            field="__all__",
        )


def confirm_import(*, actor: User, annex_import: AnnexImport, choices: Mapping[str, object] | None) -> JISP:
    """Create the draft plan from a pending import with the CSA's ``choices`` (see ``import_annex2``)."""
    require(actor, "plans.add_jisp", annex_import.authority)
    current = AnnexImport.objects.select_related("authority").get(pk=annex_import.pk)
    _expect_pending(current)
    with current.file.open("rb") as upload:
        return import_annex2(
            actor=actor,
            authority=annex_import.authority,
            period=annex_import.period,
            upload=upload,
            choices=choices,
            annex_import=annex_import,
        )


def cancel_import(*, actor: User, annex_import: AnnexImport) -> AnnexImport:
    """Discard a pending import and its file."""
    require(actor, "plans.add_jisp", annex_import.authority)
    with transaction.atomic():
        annex_import = AnnexImport.objects.select_for_update().get(pk=annex_import.pk)
        if annex_import.status != AnnexImport.Status.PENDING:
            _expect_pending(annex_import)
        _discard(annex_import)
    return annex_import


def _discard(annex_import: AnnexImport) -> None:
    name, storage = annex_import.file.name, annex_import.file.storage
    annex_import.status = AnnexImport.Status.CANCELLED
    annex_import.finished_at = timezone.now()
    annex_import.file = ""
    annex_import.preview = {}
    annex_import.save(update_fields=["status", "finished_at", "file", "preview"])
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def purge_expired_imports(now: datetime | None = None) -> int:
    """Cancel pending imports past their expiry and delete their files. Returns how many."""
    now = now or timezone.now()
    count = 0
    for annex_import in AnnexImport.objects.filter(status=AnnexImport.Status.PENDING, expires_at__lte=now):
        with transaction.atomic():
            locked = AnnexImport.objects.select_for_update().get(pk=annex_import.pk)
            if locked.status == AnnexImport.Status.PENDING:
                _discard(locked)
                count += 1
    return count


# --- the import -----------------------------------------------------------------------------------


def _provider_id(choice: object) -> int:
    """The provider id a choice gives: a provider, or its id as a number or text (TypeError or
    ValueError for anything else)."""
    value: Any = getattr(choice, "pk", choice)
    return int(value)


def _resolve(preview: Preview, choices: Mapping[str, object] | None) -> dict[str, int | None]:
    """{offer key: provider id, or None to leave it out}; refuses a choice that is not a provider and
    an offer still without one."""
    choices = {str(k): v for k, v in (choices or {}).items() if v not in (None, "")}
    wanted: set[int] = set()
    for value in choices.values():
        if value != SKIP:
            try:
                wanted.add(_provider_id(value))
            except (TypeError, ValueError) as error:
                raise ServiceError("Choose each provider from the list", field="__all__") from error
    known = set(Provider.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    if wanted - known:
        raise ServiceError("Choose each provider from the list", field="__all__")
    resolved: dict[str, int | None] = {}
    missing = []
    for offer in preview.offers:
        choice = choices.get(offer.key)
        if choice == SKIP:
            resolved[offer.key] = None
        elif choice is not None:
            resolved[offer.key] = _provider_id(choice)
        elif offer.needs_choice:
            missing.append(offer)
        else:
            resolved[offer.key] = offer.provider.id
    if missing:
        rows = ", ".join(f"row {o.source_row}" for o in missing[:10]) + (" and more" if len(missing) > 10 else "")
        raise ServiceError(
            f"Choose the provider of every offer that has none ({rows}), or choose to leave the offer out.",
            field="__all__",
            details=[o.key for o in missing],
        )
    return resolved


def _save(obj: JISP | Priority, actor: User, reason: str) -> None:
    obj._history_user = actor
    obj._change_reason = reason
    obj.save()


def import_annex2(
    *,
    actor: User,
    authority: LocalAuthority,
    period: str,
    upload: File[bytes] | None,
    choices: Mapping[str, object] | None,
    annex_import: AnnexImport | None = None,
) -> JISP:
    """Create the authority's plan for ``period`` in draft from an Annex 2 document, in one transaction.

    ``choices`` maps an offer's key (``preview.offers[...].key``) to the id of the provider it is from,
    or to ``SKIP`` to leave it out; it is needed for every offer whose provider was not matched, and
    may change any other. ``annex_import``: the pending import the upload was kept as (else the
    upload is kept as a new one). Returns the plan."""
    require(actor, "plans.add_jisp", authority)
    period = _period(period)
    _no_plan_yet(authority, period)
    upload = _given(upload)
    kind, preview = _read(upload, authority=authority, period=period)
    resolved = _resolve(preview, choices)
    name = annex_import.original_name if annex_import is not None else _original_name(upload)
    try:
        with transaction.atomic():
            LocalAuthority.objects.select_for_update().filter(pk=authority.pk).first()
            _no_plan_yet(authority, period)
            jisp = _create(actor, authority, period, preview, resolved, name)
            _keep(actor, jisp, upload, kind, name, preview, annex_import)
    except IntegrityError:
        _no_plan_yet(authority, period)  # a plan for the period made at the same moment: say so
        raise  # anything else is a fault: the error page, and nothing was kept
    return jisp


def _bulk_with_history(model: type[_Bulk], objects: list[_Bulk], actor: User, reason: str) -> list[_Bulk]:
    """Insert ``objects`` in bulk with their history rows, then tell the history's listeners (the
    audit log) of each new row, as a save one by one would: the same history and audit entries, in
    a handful of queries instead of several per row."""
    if not objects:
        return []
    created = bulk_create_with_history(
        objects, model, batch_size=BATCH, default_user=actor, default_change_reason=reason
    )
    by_id = {obj.pk: obj for obj in created}
    historical = model.history.model
    for record in historical.objects.filter(id__in=list(by_id), history_type="+").order_by("history_id"):
        post_create_historical_record.send(
            sender=historical,
            instance=by_id[record.id],
            history_instance=record,
            history_date=record.history_date,
            history_user=actor,
            history_change_reason=reason,
            using=None,
        )
    return created


def _create(
    actor: User, authority: LocalAuthority, period: str, preview: Preview, resolved: dict[str, int | None], name: str
) -> JISP:
    now = timezone.now()
    reason = f"Imported from the Annex 2 document “{name}”"
    jisp = JISP(authority=authority, period=period, version=1, status=JISP.Status.DRAFT, csa=authority.csa or actor)
    _save(jisp, actor, reason)
    indicators = dict(NationalIndicator.objects.values_list("number", "pk"))
    providers = Provider.objects.in_bulk({pk for pk in resolved.values() if pk is not None})
    end = period_end(period)
    priorities: list[Priority] = []
    needs: list[list[Need]] = []
    for order, row in enumerate(preview.priorities, start=1):
        priority = Priority(
            jisp=jisp, order=order, title=row.title, description=row.description, is_workforce=row.is_workforce
        )
        _save(priority, actor, reason)
        linked = [indicators[n] for n in row.indicators if n in indicators]
        if linked:
            priority.indicators.set(linked)
        priorities.append(priority)
        needs.append(
            [
                Need(priority=priority, order=k, description=n.description, from_workforce_tool=n.from_workforce_tool)
                for k, n in enumerate(row.needs, start=1)
            ]
        )
    _bulk_with_history(Need, [need for row in needs for need in row], actor, reason)
    offers: list[Offer] = []
    sources: list[int] = []
    for priority, row, row_needs in zip(priorities, preview.priorities, needs, strict=True):
        for offer_row in row.offers:
            provider_id = resolved.get(offer_row.key)
            if provider_id is None:
                continue
            deliver_by = offer_row.deliver_by_date
            offers.append(
                Offer(
                    priority=priority,
                    need=row_needs[offer_row.need_index] if offer_row.need_index is not None else None,
                    provider=providers[provider_id],
                    status=Offer.Status.ACCEPTED,
                    description=offer_row.description,
                    deliver_by=deliver_by if deliver_by and deliver_by <= end else None,
                    days=offer_row.days_value,
                    funding=offer_row.funding_value,
                    notes=offer_row.notes,
                    is_tailored=True,
                    invited_by=actor,
                    invited_at=now,
                    submitted_at=now,
                    decided_at=now,
                )
            )
            sources.append(offer_row.source_row)
    _bulk_with_history(Offer, offers, actor, f"{reason}: accepted, as agreed on paper")
    OfferEvent.objects.bulk_create(
        [
            OfferEvent(
                offer=offer,
                kind=OfferEvent.Kind.ACCEPTED,
                actor=actor,
                message=f"Imported from the Annex 2 document “{name}” (row {source_row}): the offer was agreed on "
                "paper before the plan was in the portal.",
                description=offer.description,
                deliver_by=offer.deliver_by,
                days=offer.days,
                funding=offer.funding,
                created_at=now,
            )
            for offer, source_row in zip(offers, sources, strict=True)
        ],
        batch_size=BATCH,
    )
    return jisp


def _keep(
    actor: User,
    jisp: JISP,
    upload: File[bytes],
    kind: str,
    name: str,
    preview: Preview,
    annex_import: AnnexImport | None,
) -> AnnexImport:
    """The original document, kept with the plan."""
    now = timezone.now()
    if annex_import is not None:
        locked = AnnexImport.objects.select_for_update().get(pk=annex_import.pk)
        _expect_pending(locked)
        locked.status, locked.jisp, locked.finished_at = AnnexImport.Status.IMPORTED, jisp, now
        locked.save(update_fields=["status", "jisp", "finished_at"])
        annex_import.status, annex_import.jisp, annex_import.finished_at = locked.status, jisp, now
        return locked
    kept = AnnexImport(
        authority=jisp.authority,
        period=jisp.period,
        status=AnnexImport.Status.IMPORTED,
        original_name=name,
        kind=kind,
        size=upload.size,
        sha256=_digest(upload),
        preview=preview.to_dict(),
        uploaded_by=actor,
        created_at=now,
        expires_at=now,
        finished_at=now,
        jisp=jisp,
    )
    upload.seek(0)
    stored = f"annex2-{secrets.token_hex(16)}.{kind}"
    kept.file.save(stored, upload, save=False)
    try:
        kept.save()
    except Exception:
        kept.file.delete(save=False)
        raise
    return kept
