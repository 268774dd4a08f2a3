"""``date_text(value, format)``: what the template filter ``{{ value|date:format }}`` prints, worked out
in Python for lists of hundreds of rows. The filter costs tens of microseconds a call, most of it in
looking the format up and building a formatter; a dashboard list or the month calendar calls it once
a row, and its rows share a few hundred days and times at most, so each text is made once."""

from __future__ import annotations

from datetime import date, datetime, time
from functools import lru_cache

from django.utils import dateformat
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]  # missing from the stubs
from django.utils.translation import get_language

#: Format characters that read only the day (``dateformat.DateFormat``), and only the time of day.
_DAY_ONLY = frozenset("dDjlNSwzWFmMnyYLtoE")
_TIME_ONLY = frozenset("aAfgGhHisu")


@lru_cache(maxsize=4096)
def _formatted(value: date | time, format: str, language: str | None) -> str:
    return dateformat.format(value, format)


def date_text(value: date | None, format: str, language: str | None = None) -> str:
    """``value`` in the current time zone (a datetime), formatted as the ``date`` filter formats it
    with a format string (not a format name such as ``SHORT_DATE_FORMAT``); "" for no value.
    ``language``: the active language when the caller has asked for it once (a thread-local lookup)."""
    if not value:
        return ""
    value = template_localtime(value)
    language = language or get_language()
    if not isinstance(value, datetime):
        return _formatted(value, format, language)
    letters = {c for c in format if c.isalpha()}
    if letters <= _DAY_ONLY:
        return _formatted(value.date(), format, language)
    if letters <= _TIME_ONLY:
        return _formatted(value.time(), format, language)
    return dateformat.format(value, format)
