"""Plan queries: in-year change — change requests (the page, the actions a user may take, the
dashboard panels), what the Annex 2 page shows of them, and the authority's own support. Reads only:
state changes are in ``plans.services.changes``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q

from accounts.models import Role
from accounts.permissions import can
from core.panels import Panel

from ..models import JISP, ChangeRequest, Offer, Priority
from ..urls_cache import pk_reverse

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from accounts.models import User

C = ChangeRequest.Status


def change_request_queryset() -> QuerySet[ChangeRequest]:
    return ChangeRequest.objects.select_related(
        "jisp__authority__region",
        "jisp__authority__dcs",
        "jisp__authority__csa",
        "raised_by",
        "confirmed_by",
        "answered_by",
        "revision",
    ).prefetch_related("priorities", "offers__provider", "offers__priority")


def request_choices(jisp: JISP) -> tuple[list[Priority], list[Offer]]:
    """The priorities and accepted offers a change request may point at."""
    priorities = list(Priority.objects.filter(jisp=jisp).order_by("order", "pk"))
    offers = list(
        Offer.objects.filter(priority__jisp=jisp, status=Offer.Status.ACCEPTED)
        .select_related("provider", "priority")
        .order_by("priority__order", "pk")
    )
    return priorities, offers


def request_actions(change_request: ChangeRequest, user: User) -> list[dict[str, str]]:
    """What the user may do with the request now: [{label, url, kind}]."""
    actions = []
    plan_in_use = change_request.jisp.status == JISP.Status.APPROVED
    if (
        change_request.status == C.AWAITING_DCS
        and plan_in_use
        and can(user, "plans.confirm_change_request", change_request)
    ):
        actions.append(("Confirm the request", "plans:change_request_confirm", "primary"))
    if can(user, "plans.answer_change_request", change_request):
        if change_request.status == C.OPEN and plan_in_use:
            actions.append(("Start a revision", "plans:change_request_revise", "primary"))
        if change_request.is_waiting:
            actions.append(("Decline", "plans:change_request_decline", "warning"))
    return [{"label": label, "url": pk_reverse(name, change_request.pk), "kind": kind} for label, name, kind in actions]


def requests_on_plan(jisp: JISP, user: User) -> list[ChangeRequest]:
    """The change requests raised on the plan, and those it answers (a revision), for its page."""
    return list(
        ChangeRequest.objects.visible_to(user)
        .filter(Q(jisp=jisp) | Q(revision=jisp))
        .select_related("raised_by", "jisp", "revision")
        .order_by("-created_at", "-pk")
    )


# --- dashboard panels -----------------------------------------------------------------------------


def requests_of_authority(user: User) -> list[ChangeRequest]:
    """The authority's requests still waiting or being made, and those answered in the last months."""
    return list(
        ChangeRequest.objects.filter(jisp__authority_id=user.authority_id)
        .select_related("jisp", "revision", "raised_by")
        .order_by("-created_at", "-pk")[:10]
    )


def open_requests_for_csa(user: User) -> list[ChangeRequest]:
    return list(
        ChangeRequest.objects.filter(jisp__authority__csa=user, status=C.OPEN)
        .select_related("jisp__authority", "raised_by")
        .order_by("created_at", "pk")
    )


def panels(user: User) -> list[Panel]:
    if not (user and user.is_authenticated):
        return []
    if user.role in (Role.DCS, Role.LA_OFFICER) and user.authority_id:
        return [
            Panel(
                "Your change requests",
                "plans/dashboard/_change_requests_authority.html",
                {"requests": requests_of_authority(user)},
                order=12,
            )
        ]
    if user.role == Role.CSA:
        return [
            Panel(
                "Change requests to answer",
                "plans/dashboard/_change_requests_csa.html",
                {"requests": open_requests_for_csa(user)},
                order=14,
            )
        ]
    return []


def plan_context(jisp: JISP, user: User) -> dict[str, Any]:
    """What the Annex 2 page shows of in-year change: the requests and the authority's own support."""
    return {
        "change_requests": requests_on_plan(jisp, user),
        "own_support": list(jisp.own_support.all()),
    }
