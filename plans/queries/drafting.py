"""Plan queries: drafting — the plans list, the Annex 2 page (in a constant number of queries
however many rows), the priority row for htmx partials and the plan's history."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, Model, OuterRef, Prefetch, QuerySet, prefetch_related_objects

from accounts.models import Role, User
from accounts.permissions import can

from .. import table_cache
from ..models import JISP, DeploymentPlan, Need, Offer, Priority

if TYPE_CHECKING:
    from accounts.models import User
    from core.panels import Panel

PUBLISHED = (JISP.Status.APPROVED, JISP.Status.SUPERSEDED)


def plan_list(user: User) -> QuerySet[JISP]:
    """The plans a user may see, with what the list shows."""
    return (
        JISP.objects.visible_to(user)
        .select_related("authority", "authority__region", "csa")
        .order_by("authority__name", "-period", "-version")
    )


def offers_shown(user: User, jisp: JISP) -> QuerySet[Offer]:
    """Offers on the Annex 2 page: once the plan is approved, its accepted offers (for everyone who may
    see the plan); before that, what the user may see of the open and accepted ones."""
    if jisp.status in PUBLISHED:
        from .delivery import with_latest_update

        return with_latest_update(Offer.objects.filter(status=Offer.Status.ACCEPTED))
    return with_adviser_flag(Offer.objects.visible_to(user).exclude(status=Offer.Status.WITHDRAWN))


def with_adviser_flag(offers: QuerySet[Offer]) -> QuerySet[Offer]:
    """``provider_has_adviser`` on each offer, in the same query: whether anyone from its provider is on
    the portal (the lead CSA sees "no adviser on the portal yet" on an invitation nobody can answer)."""
    advisers = User.objects.filter(role=Role.PROVIDER_ADVISER, is_active=True, provider_id=OuterRef("provider_id"))
    return offers.annotate(provider_has_adviser=Exists(advisers))


def priorities_prefetch(user: User, jisp: JISP, queryset: QuerySet[Priority] | None = None) -> Prefetch[Any]:
    """``Prefetch("priorities")`` with needs, indicators and offers (with their provider and need)."""
    offers = offers_shown(user, jisp).select_related("provider", "need").order_by("need__order", "need_id", "pk")
    return Prefetch(
        "priorities",
        queryset=(queryset if queryset is not None else Priority.objects.all())
        .order_by("order", "pk")
        .prefetch_related(
            Prefetch("needs", queryset=Need.objects.order_by("order", "pk")),
            "indicators",
            Prefetch("offers", queryset=offers),
        ),
    )


def _row_lists(user: User, jisp: JISP) -> list[Prefetch[Any]]:
    """The Annex 2 page's prefetches of a priority's rows as plain lists (``need_list``,
    ``indicator_list``, ``offer_list``): Django gives a queryset and a related manager to every
    priority for ``needs.all()`` and the like, which cost more than the rows on a 200-row page. Each
    offer comes with its provider (joined), and its need is the priority's own (``_attach_needs``)."""
    offers = offers_shown(user, jisp).select_related("provider").order_by("need__order", "need_id", "pk")
    return [
        Prefetch("needs", queryset=Need.objects.order_by("order", "pk"), to_attr="need_list"),
        Prefetch("indicators", to_attr="indicator_list"),
        Prefetch("offers", queryset=offers, to_attr="offer_list"),
    ]


def _attach_needs(priorities: Iterable[Priority]) -> None:
    for priority in priorities:
        needs = {need.pk: need for need in priority.need_list}  # type: ignore[attr-defined]
        for offer in priority.offer_list:  # type: ignore[attr-defined]
            if offer.need_id is None or offer.need_id in needs:
                offer._state.fields_cache["need"] = needs.get(offer.need_id)


def plan_base() -> QuerySet[JISP]:
    return JISP.objects.select_related(
        "authority", "authority__region", "authority__dcs", "authority__csa", "csa", "approved_by"
    )


def annex2_plan(user: User, pk: int, rows: bool = True) -> JISP | None:
    """The plan with everything the Annex 2 page shows; None when the user may not see it. With
    ``rows=False`` the Improvement Support rows are left for ``prefetch_rows`` (the page may have
    them already rendered)."""
    base = plan_base().filter(pk=pk).filter(pk__in=JISP.objects.visible_to(user).values("pk"))
    jisp = base.first()
    if jisp is None:
        return None
    prefetch_related_objects(
        [jisp],
        "good_practice",
        Prefetch("deployment_plans", queryset=DeploymentPlan.objects.select_related("provider", "uploaded_by")),
    )
    if rows:
        prefetch_related_objects([jisp], priorities_prefetch(user, jisp))
    return jisp


def prefetch_rows(user: User, jisp: JISP) -> list[Priority]:
    """The plan's priorities for the Annex 2 table (``annex2.table_rows``), each with ``need_list``,
    ``indicator_list`` and ``offer_list``: the offers the user is shown, with provider and need."""
    priorities = list(
        Priority.objects.filter(jisp=jisp).order_by("order", "pk").prefetch_related(*_row_lists(user, jisp))
    )
    _attach_needs(priorities)
    return priorities


def published_table_key(jisp: JISP) -> str | None:
    """The cache key of an approved (or superseded) plan's Improvement Support table: such a plan's
    table has no actions, so it is the same for everyone who may see it; the key changes with any
    change to the plan or its rows (``plans.table_cache``). None for a plan still being drafted,
    reviewed or decided."""
    return table_cache.table_key(jisp)


def priority_row(user: User, priority_id: int) -> Priority:
    """One priority prefetched like the Annex 2 page (for an htmx row partial)."""
    priority = Priority.objects.select_related("jisp", "jisp__authority").get(pk=priority_id)
    prefetch_related_objects([priority], *_row_lists(user, priority.jisp))
    _attach_needs([priority])
    return priority


@dataclass
class Totals:
    providers: list[dict[str, Any]]
    offers: int
    days: Decimal
    funding: Decimal


def totals(priorities: Iterable[Priority]) -> Totals:
    """Days and £ per provider and overall of the accepted offers (from ``prefetch_rows``): what
    the plan commits, not what is still being offered or challenged."""
    by_provider: dict[int, dict[str, Any]] = {}
    overall = Totals([], 0, Decimal(0), Decimal(0))
    for priority in priorities:
        for offer in priority.offer_list:  # type: ignore[attr-defined]
            if offer.status != Offer.Status.ACCEPTED:
                continue
            t = by_provider.setdefault(
                offer.provider_id, {"provider": offer.provider, "offers": 0, "days": Decimal(0), "funding": Decimal(0)}
            )
            t["offers"] += 1
            t["days"] += offer.days or 0
            t["funding"] += offer.funding or 0
            overall.offers += 1
            overall.days += offer.days or 0
            overall.funding += offer.funding or 0
    overall.providers = sorted(by_provider.values(), key=lambda t: t["provider"].name)
    return overall


def page_permissions(user: User, jisp: JISP) -> dict[str, bool]:
    """What the user may do on the Annex 2 page (a few checks, independent of the number of rows)."""
    editable = jisp.is_editable
    may_change = can(user, "plans.change_jisp", jisp)
    return {
        "can_edit": editable and may_change,
        "can_propose": editable and can(user, "plans.propose_need", jisp),
        "can_upload": may_change and (editable or jisp.status == JISP.Status.APPROVED),
        "can_comment": jisp.status == JISP.Status.WITH_AUTHORITY and can(user, "plans.comment_jisp", jisp),
        "can_write_notes": editable and can(user, "plans.write_row_notes", jisp),
        "can_request_change": jisp.status == JISP.Status.APPROVED and can(user, "plans.raise_change_request", jisp),
        "can_record_own_support": jisp.status not in PUBLISHED and can(user, "plans.record_own_support", jisp),
        "can_see_history": user.is_superuser
        or user.role in (Role.ADMIN, Role.CSA, Role.GO_DIRECTOR, Role.DCS, Role.LA_OFFICER),
    }


# --- history --------------------------------------------------------------------------------------

HIDDEN_FIELDS = {"lock_version", "pdf", "pdf_sha256", "id", "jisp", "priority", "order", "authority", "created_at"}
SKIP = object()


def _value(record: Any, field_name: str) -> object:
    field = record.instance_type._meta.get_field(field_name)
    value = getattr(record, field.attname, None)
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if field.is_relation and value is not None:
        related = record._state.fields_cache.get(field.name)
        return str(related) if related is not None else SKIP
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return "" if value is None else str(value)


def _label(model: type[Model], field_name: str) -> str:
    field = model._meta.get_field(field_name)  # a concrete field: a relation's far side has no name
    return str(getattr(field, "verbose_name", field_name)).capitalize()


# A history record (django-simple-history's historical model instance), one field's change shown as
# {"field", "old", "new"}, and one entry of the plan's history as the page shows it.
Record = Any
Change = dict[str, Any]
Entry = dict[str, Any]

ACTIONS = {"+": "Added", "~": "Changed", "-": "Removed"}
NOT_SHOWN_WHEN_ADDED = ("created_at", "approved_at", "pdf", "proposed_by")


def _changed_fields(record: Record, previous: Record, model: type[Model]) -> list[Change]:
    """What changed between two history records of one object, as shown (hidden fields left out)."""
    changes = []
    delta = record.diff_against(previous, excluded_fields=["lock_version"])
    for change in delta.changes:
        if change.field in HIDDEN_FIELDS or change.field == "indicators":
            continue
        old, new = _value(previous, change.field), _value(record, change.field)
        if SKIP not in (old, new):
            changes.append({"field": _label(model, change.field), "old": old, "new": new})
    return changes


def _added_fields(record: Record, model: type[Model]) -> list[Change]:
    """The fields an object was created with, as shown (blank and hidden ones left out)."""
    changes = []
    for f in model._meta.concrete_fields:
        if f.name in HIDDEN_FIELDS or f.name in NOT_SHOWN_WHEN_ADDED:
            continue
        value = _value(record, f.name)
        if value is not SKIP and value not in ("", "No"):
            changes.append({"field": _label(model, f.name), "old": "", "new": value})
    return changes


def _object_entries(
    history: list[Record], model: type[Model], kind_label: str, describe: Callable[[Record], str]
) -> list[Entry]:
    """The entries of one object's history records (oldest first); a save that changed nothing shown
    and gave no reason is left out."""
    entries: list[Entry] = []
    previous = None
    for record in history:
        changes = []
        if record.history_type == "~" and previous is not None:
            changes = _changed_fields(record, previous, model)
            if not changes and not record.history_change_reason:
                previous = record
                continue
        elif record.history_type == "+":
            changes = _added_fields(record, model)
        entries.append(
            {
                "when": record.history_date,
                "who": record.history_user,
                "kind": kind_label,
                "what": describe(record),
                "action": ACTIONS[record.history_type],
                "reason": record.history_change_reason or "",
                "changes": changes,
            }
        )
        previous = record
    return entries


def _entries(
    records: Iterable[Record], model: type[Model], kind_label: str, describe: Callable[[Record], str]
) -> list[Entry]:
    """Field-by-field changes of one model's history records (grouped per object, oldest first)."""
    by_object: dict[int, list[Record]] = {}
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        by_object.setdefault(record.id, []).append(record)
    entries = []
    for history in by_object.values():
        entries += _object_entries(history, model, kind_label, describe)
    return entries


def _offer_records(records: QuerySet[Any], user: User) -> list[Any]:
    records = records.select_related("history_user", "provider")
    if user.is_superuser or user.role in (Role.ADMIN, Role.CSA, Role.GO_DIRECTOR):
        return list(records)
    visible = set(Offer.objects.visible_to(user).values_list("pk", flat=True))
    return [r for r in records if r.id in visible and r.status != Offer.Status.INVITED]


def plan_history(jisp: JISP, user: User) -> list[Entry]:
    """Every recorded change to the plan, its priorities, needs and offers, newest first. Offers
    appear only as far as the user may see them (the authority never sees a provider's draft)."""
    HPriority = Priority.history.model
    HNeed = Need.history.model
    HOffer = Offer.history.model
    priority_ids = set(HPriority.objects.filter(jisp_id=jisp.pk).values_list("id", flat=True))
    entries = []
    entries += _entries(
        list(jisp.history.select_related("history_user", "csa", "approved_by")),
        JISP,
        "Plan",
        lambda r: f"Version {r.version}",
    )
    entries += _entries(
        list(HPriority.objects.filter(id__in=priority_ids).select_related("history_user")),
        Priority,
        "Priority",
        lambda r: r.title,
    )
    entries += _entries(
        list(HNeed.objects.filter(priority_id__in=priority_ids).select_related("history_user")),
        Need,
        "Need",
        lambda r: r.description[:120],
    )
    entries += _entries(
        _offer_records(HOffer.objects.filter(priority_id__in=priority_ids), user),
        Offer,
        "Offer",
        lambda r: f"{r.provider.name if r.provider_id else 'Provider'} offer",
    )
    entries.sort(key=lambda e: e["when"], reverse=True)
    return entries


# --- dashboard ------------------------------------------------------------------------------------

DASHBOARD_PLANS = 10


def current_plans_for(user: User) -> QuerySet[JISP] | None:
    """The current plans (not superseded) of the authorities the user works on: a CSA's own
    authorities, a DCS's or LA officer's authority. None for other roles."""
    plans = JISP.objects.visible_to(user).exclude(status=JISP.Status.SUPERSEDED)
    if user.role == Role.CSA:
        plans = plans.filter(authority__csa=user)
    elif user.role in (Role.DCS, Role.LA_OFFICER) and user.authority_id:
        plans = plans.filter(authority_id=user.authority_id)
    else:
        return None
    return plans.select_related("authority").order_by("-period", "authority__name", "-version")


def panels(user: User) -> list[Panel]:
    from core.panels import Panel

    if not (user and user.is_authenticated):
        return []
    plans = current_plans_for(user)
    if plans is None:
        return []
    shown = list(plans[: DASHBOARD_PLANS + 1])
    context = {
        "plans": shown[:DASHBOARD_PLANS],
        "more": len(shown) > DASHBOARD_PLANS,
        "can_start": user.role == Role.CSA,
    }
    title = "Your plans" if user.role == Role.CSA else "Your authority's plans"
    return [Panel(title, "plans/dashboard/_drafting_plans.html", context, order=12)]
