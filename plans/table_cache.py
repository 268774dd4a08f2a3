"""The cache of an approved (or superseded) plan's Improvement Support table (docs/decisions/0003).

The table is kept in the configured cache (Redis when ``CACHE_URL``/``REDIS_URL`` is set, so every
web process shares it) under a key made of the plan's id, version, ``lock_version``, status and
approval time, and two stamps: one for the plan, renewed whenever one of its priorities, needs,
indicator links, offers or delivery updates (or the plan itself) is saved or deleted, and one for everything, renewed
when a provider or a National Indicator changes (their names are in every table). A stamp is a fresh
random token, never a counter: if the cache loses it, a new one is drawn and no earlier table can
match it. So a change never serves a stale table, whichever process made it.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

if TYPE_CHECKING:
    from .models import JISP

PUBLISHED = ("approved", "superseded")
SECONDS = 24 * 60 * 60
_EVERYTHING = "plans:annex2-stamp:all"


def _plan_stamp_key(plan_id: int) -> str:
    return f"plans:annex2-stamp:{plan_id}"


def table_key(jisp: JISP) -> str | None:
    """The cache key of the plan's table now; None for a plan still being drafted, reviewed or decided."""
    if jisp.status not in PUBLISHED or jisp.approved_at is None:
        return None
    stamps = cache.get_many([_plan_stamp_key(jisp.pk), _EVERYTHING])
    fresh = {}
    for key in (_plan_stamp_key(jisp.pk), _EVERYTHING):
        if key not in stamps:
            stamps[key] = fresh[key] = secrets.token_hex(8)
    if fresh:
        cache.set_many(fresh, SECONDS * 2)
    return (
        f"plans:annex2-table:{jisp.pk}:v{jisp.version}:l{jisp.lock_version}:{jisp.status}:"
        f"{jisp.approved_at.isoformat()}:{stamps[_plan_stamp_key(jisp.pk)]}:{stamps[_EVERYTHING]}"
    )


def forget(plan_id: int | None) -> None:
    """Renew the plan's stamp (None: every plan's), now and again once the transaction commits (so
    a view in another process never caches the old rows under the new stamp)."""
    key = _EVERYTHING if plan_id is None else _plan_stamp_key(plan_id)

    def renew() -> None:
        cache.set(key, secrets.token_hex(8), SECONDS * 2)

    renew()
    transaction.on_commit(renew)


def _plan_of(instance: Any) -> int | None:
    from .models import JISP, DeliveryUpdate, Need, Offer, Priority

    if isinstance(instance, JISP):
        return instance.pk
    if isinstance(instance, DeliveryUpdate):  # an approved plan's table shows the latest update
        return Offer.objects.filter(pk=instance.offer_id).values_list("priority__jisp_id", flat=True).first()
    if isinstance(instance, Priority):
        return instance.jisp_id
    if isinstance(instance, Need | Offer):
        priority = instance._state.fields_cache.get("priority")  # loaded with it: no query
        if priority is not None:
            return priority.jisp_id
        if instance.priority_id is None:
            return None
        return Priority.objects.filter(pk=instance.priority_id).values_list("jisp_id", flat=True).first()
    return None


def _changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    plan_id = _plan_of(instance)
    if plan_id is not None:
        forget(plan_id)


def _changed_everywhere(sender: Any, **kwargs: Any) -> None:
    forget(None)


def _indicators_changed(sender: Any, instance: Any, action: str, pk_set: Any = None, **kwargs: Any) -> None:
    # Adding a link that is already there sends post_add with nothing in pk_set: nothing changed.
    if action == "post_clear" or (action in ("post_add", "post_remove") and pk_set):
        _changed(sender, instance)


def connect() -> None:
    """Called by ``PlansConfig.ready``."""
    from authorities.models import NationalIndicator
    from providers.models import Provider

    from .models import JISP, DeliveryUpdate, Need, Offer, Priority

    for model in (JISP, Priority, Need, Offer, DeliveryUpdate):
        post_save.connect(_changed, sender=model, dispatch_uid=f"annex2-table-{model.__name__}-save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"annex2-table-{model.__name__}-delete")
    m2m_changed.connect(_indicators_changed, sender=Priority.indicators.through, dispatch_uid="annex2-table-ni")
    for model in (Provider, NationalIndicator):
        post_save.connect(_changed_everywhere, sender=model, dispatch_uid=f"annex2-table-{model.__name__}")
        post_delete.connect(_changed_everywhere, sender=model, dispatch_uid=f"annex2-table-{model.__name__}-del")
