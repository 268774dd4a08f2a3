"""``date_text(value, format)``: what the template filter ``{{ value|date:format }}`` prints, worked out
in Python for lists of hundreds of rows (the filter costs tens of microseconds a call, most of it in
looking the format up; a dashboard list or the month calendar calls it once a row)."""

from __future__ import annotations

from datetime import date

from django.utils import dateformat
from django.utils.timezone import template_localtime


def date_text(value: date | None, format: str) -> str:
    """``value`` in the current time zone (a datetime), formatted as the ``date`` filter formats it
    with a format string (not a format name such as ``SHORT_DATE_FORMAT``); "" for no value."""
    if not value:
        return ""
    return dateformat.format(template_localtime(value), format)
