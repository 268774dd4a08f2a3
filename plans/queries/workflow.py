"""Plan queries: workflow — the Annex 2 rows for the PDF and the export, the workflow panel on the
plan, the comparison of two versions and the dashboard panels."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.urls import reverse

from accounts.models import Role
from accounts.permissions import can
from core.panels import Panel

from ..models import JISP, Decision, Need, Offer, OfferEvent, PlanComment, Priority

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from accounts.models import User
    from authorities.models import NationalIndicator

PUBLISHED = (JISP.Status.APPROVED, JISP.Status.SUPERSEDED)


@dataclass
class Row:
    """One Annex 2 row: a priority with its needs and (some of) its offers."""

    priority: Priority
    needs: list[Need]
    offers: list[Offer]
    indicators: list[NationalIndicator] = field(default_factory=list)

    @property
    def span(self) -> int:
        return max(1, len(self.offers))


def annex2_rows(jisp: JISP, *, accepted_only: bool = False, offers: QuerySet[Offer] | None = None) -> list[Row]:
    """The plan's rows in order, in a constant number of queries. ``offers`` (a queryset) narrows
    the offers shown (e.g. to what a user may see); ``accepted_only`` keeps accepted offers only."""
    offer_qs = offers if offers is not None else Offer.objects.all()
    offer_qs = offer_qs.select_related("provider", "need").order_by("need__order", "need_id", "pk")
    if accepted_only:
        offer_qs = offer_qs.filter(status=Offer.Status.ACCEPTED)
    priorities = (
        Priority.objects.filter(jisp=jisp)
        .order_by("order", "pk")
        .prefetch_related(
            Prefetch("needs", queryset=Need.objects.order_by("order", "pk")),
            Prefetch("offers", queryset=offer_qs),
            "indicators",
        )
    )
    return [Row(p, list(p.needs.all()), list(p.offers.all()), list(p.indicators.all())) for p in priorities]


def provider_totals(rows: list[Row]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Days and £ per provider and overall for the accepted offers in ``rows``: what the plan commits,
    as the Annex 2 page totals it (a draft's export lists its open offers too, but does not count them)."""
    by_provider: dict[int, dict[str, Any]] = {}
    overall: dict[str, Any] = {"offers": 0, "days": Decimal(0), "funding": Decimal(0)}
    for row in rows:
        for offer in row.offers:
            if offer.status != Offer.Status.ACCEPTED:
                continue
            t = by_provider.setdefault(
                offer.provider_id,
                {"provider": offer.provider.name, "offers": 0, "days": Decimal(0), "funding": Decimal(0)},
            )
            for target in (t, overall):
                target["offers"] += 1
                target["days"] += offer.days or 0
                target["funding"] += offer.funding or 0
    return sorted(by_provider.values(), key=lambda t: t["provider"]), overall


def offers_for(user: User, jisp: JISP) -> QuerySet[Offer]:
    """The plan's offers a user may see in an export: accepted only once the plan is approved."""
    qs = Offer.objects.visible_to(user).filter(priority__jisp=jisp).exclude(status=Offer.Status.WITHDRAWN)
    if jisp.status in PUBLISHED:
        qs = qs.filter(status=Offer.Status.ACCEPTED)
    return qs


# --- the workflow panel on the plan ---------------------------------------------------------------


def pdf_state(jisp: JISP) -> str:
    if jisp.pdf:
        return "ready"
    if jisp.approved_at and jisp.status in PUBLISHED:
        return "preparing"
    return "none"


def plan_actions(jisp: JISP, user: User) -> list[dict[str, Any]]:
    """The workflow buttons the user may press on the plan now: (label, url name, secondary)."""
    S = JISP.Status
    actions = []
    sends = can(user, "plans.send_jisp", jisp)
    if jisp.status == S.DRAFT and sends:
        actions.append(("Send to the authority for review", "plans:send_to_authority", False))
    if jisp.status == S.WITH_AUTHORITY and sends:
        actions.append(("Send for approval", "plans:send_for_approval", False))
        actions.append(("Return to draft", "plans:return_to_draft", True))
    if jisp.status == S.AWAITING_APPROVAL and can(user, "plans.decide_jisp", jisp):
        actions.append(("Approve the plan", "plans:approve", False))
        actions.append(("Request changes", "plans:request_changes", True))
    if jisp.status == S.WITH_AUTHORITY and can(user, "plans.comment_jisp", jisp):
        actions.append(("Comment on the plan", "plans:comment_add", True))
    if jisp.status == S.APPROVED and sends:
        actions.append(("Start an in-year revision", "plans:revise", True))
    return [
        {"label": label, "url": reverse(name, kwargs={"pk": jisp.pk}), "secondary": secondary}
        for label, name, secondary in actions
    ]


def sees_review(user: User, jisp: JISP) -> bool:
    """The authority's review (comments, decisions) is for GO staff, the authority and admins."""
    return bool(
        user.is_authenticated
        and (
            user.is_superuser
            or user.role in (Role.ADMIN, Role.GO_DIRECTOR)
            or (user.role == Role.CSA and user.region_id == jisp.authority.region_id)
            or (user.role in (Role.DCS, Role.LA_OFFICER) and user.authority_id == jisp.authority_id)
        )
    )


def panel_context(jisp: JISP, user: User) -> dict[str, Any]:
    review = sees_review(user, jisp)
    comments = (
        list(
            PlanComment.objects.filter(jisp=jisp, resolved_at__isnull=True).select_related(
                "author", "priority", "need", "offer__provider", "offer__priority"
            )
        )
        if review
        else []
    )
    versions = list(
        JISP.objects.visible_to(user)
        .filter(authority_id=jisp.authority_id, period=jisp.period)
        .exclude(pk=jisp.pk)
        .order_by("version")
    )
    return {
        "jisp": jisp,
        "actions": plan_actions(jisp, user),
        "review": review,
        "decisions": list(jisp.decisions.select_related("decided_by").order_by("-decided_at")) if review else [],
        "open_comments": comments,
        "can_resolve": can(user, "plans.send_jisp", jisp),
        "pdf_state": pdf_state(jisp),
        "copies": list(jisp.copies.select_related("recipient")) if jisp.pdf else [],
        "versions": versions,
        "can_export": can(user, "plans.export_jisp", jisp),
    }


# --- version comparison ---------------------------------------------------------------------------


def _key(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


OFFER_FIELDS = (
    ("description", "offer"),
    ("days", "days"),
    ("funding", "funding"),
    ("deliver_by", "deliver by"),
    ("notes", "notes"),
    ("status", "status"),
)


T = TypeVar("T")


def _pair(left: list[T], right: list[T], key: Callable[[T], Hashable]) -> list[tuple[T | None, T | None]]:
    """Match two lists by key (several with one key are paired in order): [(l or None, r or None)]."""
    pending: dict[Hashable, list[T]] = {}
    for item in right:
        pending.setdefault(key(item), []).append(item)
    pairs: list[tuple[T | None, T | None]] = []
    for item in left:
        bucket = pending.get(key(item))
        pairs.append((item, bucket.pop(0) if bucket else None))
    pairs.extend((None, item) for bucket in pending.values() for item in bucket)
    return pairs


def _tag(left: object, right: object, changed: object) -> str:
    if left is None:
        return "added"
    if right is None:
        return "removed"
    return "changed" if changed else "same"


def removed_priorities(jisp: JISP) -> dict[str, str]:
    """The priorities removed from a plan with the reason given: {title: reason} (their history)."""
    records = Priority.history.filter(jisp_id=jisp.pk, history_type="-").order_by("history_date")
    return {r.title: (r.history_change_reason or "").removeprefix("Removed: ") for r in records}


def _withdrawn_reasons(plan: JISP) -> dict[int, str]:
    """{offer id: reason} of the offers withdrawn in a plan (the latest withdrawal of each)."""
    events = OfferEvent.objects.filter(offer__priority__jisp=plan, kind=OfferEvent.Kind.WITHDRAWN).order_by(
        "created_at"
    )
    return {e.offer_id: e.message for e in events}


def _compare_offers(loffers: list[Offer], roffers: list[Offer], reasons: dict[int, str]) -> list[dict[str, Any]]:
    """Offers of one priority in two versions, paired by provider (and description). An offer the
    newer version withdrew (an accepted one, in a revision) is tagged withdrawn, with its reason."""
    exact = _pair(loffers, roffers, key=lambda o: (o.provider_id, _key(o.description)))
    matched = [p for p in exact if p[0] and p[1]]
    rest = _pair(
        [lo for lo, ro in exact if ro is None and lo is not None],
        [ro for lo, ro in exact if lo is None and ro is not None],
        key=lambda o: o.provider_id,
    )
    offers = []
    for lo, ro in matched + rest:
        withdrawn = ro is not None and ro.status == Offer.Status.WITHDRAWN
        if withdrawn and lo is None:
            continue  # withdrawn before it was ever in the plan
        changes = []
        if lo and ro and not withdrawn:
            changes = [label for name, label in OFFER_FIELDS if getattr(lo, name) != getattr(ro, name)]
        tag = "withdrawn" if withdrawn else _tag(lo, ro, changes)
        reason = reasons.get(ro.pk, "") if withdrawn and ro is not None else ""
        offers.append({"left": lo, "right": ro, "tag": tag, "changes": changes, "reason": reason})
    return offers


def compare_plans(old: JISP, new: JISP, user: User) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Rows of two versions side by side: priorities by title, needs by description, offers by
    provider (and description); each tagged added, removed, changed or same — an accepted offer the
    newer version withdrew is tagged withdrawn, and a removed priority carries the reason given."""
    seen = Offer.objects.visible_to(user)
    left_rows = annex2_rows(old, offers=seen.exclude(status=Offer.Status.WITHDRAWN))
    right_rows = annex2_rows(new, offers=seen)
    reasons = _withdrawn_reasons(new)
    removed = {_key(title): reason for title, reason in removed_priorities(new).items()}
    result = []
    for lrow, rrow in _pair(left_rows, right_rows, key=lambda r: _key(r.priority.title)):
        lp, rp = getattr(lrow, "priority", None), getattr(rrow, "priority", None)
        needs = []
        for ln, rn in _pair(lrow.needs if lrow else [], rrow.needs if rrow else [], key=lambda n: _key(n.description)):
            needs.append({"left": ln, "right": rn, "tag": _tag(ln, rn, False)})
        offers = _compare_offers(lrow.offers if lrow else [], rrow.offers if rrow else [], reasons)
        priority_changed = bool(
            lp and rp and (_key(lp.description) != _key(rp.description) or lp.is_workforce != rp.is_workforce)
        )
        inner_changed = any(x["tag"] != "same" for x in needs + offers)
        tag = _tag(lp, rp, priority_changed or inner_changed)
        reason = removed.get(_key(lp.title), "") if tag == "removed" and lp else ""
        result.append({"left": lp, "right": rp, "tag": tag, "needs": needs, "offers": offers, "reason": reason})
    summary = {t: sum(1 for r in result if r["tag"] == t) for t in ("added", "removed", "changed", "same")}
    return result, summary


# --- dashboard panels -----------------------------------------------------------------------------


def awaiting_approval_for(user: User) -> QuerySet[JISP]:
    return (
        JISP.objects.visible_to(user)
        .filter(authority__dcs=user, status=JISP.Status.AWAITING_APPROVAL)
        .select_related("authority", "csa")
        .order_by("authority__name", "period")
    )


def needing_attention_for(csa: User) -> QuerySet[JISP]:
    """Plans the CSA leads with open authority comments or whose last decision asked for changes."""
    last_outcome = Decision.objects.filter(jisp=OuterRef("pk")).order_by("-decided_at", "-pk").values("outcome")[:1]
    return (
        JISP.objects.filter(authority__csa=csa, status__in=[JISP.Status.DRAFT, JISP.Status.WITH_AUTHORITY])
        .annotate(
            open_comments=Count("comments", filter=Q(comments__resolved_at__isnull=True)),
            last_outcome=Subquery(last_outcome),
        )
        .filter(Q(open_comments__gt=0) | Q(last_outcome=Decision.Outcome.CHANGES_REQUESTED))
        .select_related("authority")
        .order_by("authority__name", "period")
    )


def status_counts(region_id: int) -> list[dict[str, Any]]:
    counts: dict[str, int] = dict(
        JISP.objects.filter(authority__region_id=region_id).values_list("status").annotate(n=Count("pk")).order_by()
    )
    return [{"status": s, "label": s.label, "count": counts.get(s.value, 0)} for s in JISP.Status]


def panels(user: User) -> list[Panel]:
    if not (user and user.is_authenticated):
        return []
    if user.role == Role.DCS:
        return [
            Panel(
                "Plans awaiting your approval",
                "plans/dashboard/_workflow_awaiting.html",
                {"plans": list(awaiting_approval_for(user))},
                order=10,
            )
        ]
    if user.role == Role.CSA:
        return [
            Panel(
                "Plans with comments or changes requested",
                "plans/dashboard/_workflow_attention.html",
                {"plans": list(needing_attention_for(user))},
                order=15,
            )
        ]
    if user.role == Role.GO_DIRECTOR and user.region_id:
        return [
            Panel(
                f"Plans in {user.region} by status",
                "plans/dashboard/_workflow_status.html",
                {"counts": status_counts(user.region_id)},
                order=20,
            )
        ]
    return []
