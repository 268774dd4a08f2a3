"""Optimistic locking with ``lock_version``: a save over a newer version is refused, naming who
changed it and when (from django-simple-history), and nothing is written."""

from typing import Any

from django.utils import timezone

from .errors import StaleEditError


def check_and_bump(obj: Any, submitted_version: int | str | None) -> None:
    """Call inside the service's transaction with the object fetched ``select_for_update``.

    Raises StaleEditError if ``submitted_version`` is not the object's current ``lock_version``;
    otherwise increments it (the caller saves)."""
    if submitted_version is None or int(submitted_version) != obj.lock_version:
        latest = (
            obj.history.order_by("-history_date").select_related("history_user").first()
            if hasattr(obj, "history")
            else None
        )
        raise StaleEditError(
            obj,
            changed_by=getattr(latest, "history_user", None),
            changed_at=timezone.localtime(latest.history_date) if latest else None,
        )
    obj.lock_version += 1
