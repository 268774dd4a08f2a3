"""The Jinja2 environment of the portal's second template engine (``TEMPLATES[1]``, templates in
``templates-jinja2/``), kept for the few hot fragments whose Django template cost grows with the rows: the
Annex 2 table's rows (docs/decisions/0010). Every other page stays on Django templates.

A fragment rendered here prints exactly what the Django template language would:

- every ``{{ value }}`` goes through ``_finalize``, which escapes as Django's ``escape`` does
  (``html.escape``: ``&#x27;`` and ``&quot;``, not Jinja's ``&#39;`` and ``&#34;``) and leaves a value
  already safe (``SafeString``, ``Markup``: anything with ``__html__``) as it is. Escaping there, once
  per value, is why Jinja's own autoescape is off: it would wrap every value in ``Markup`` a second
  time, which cost more than the rest of the rendering. A fragment must therefore not print a macro's
  output (a plain string, escaped again); it uses an ``{% if %}`` or a filter instead;
- the filters the fragments use are Django's own functions (``linebreaksbr``, ``floatformat``,
  ``pluralize``, ``truncatechars``), and ``date`` is ``core.dates.date_text``, which prints what the
  ``date`` filter prints (an aware datetime in the London time zone);
- a file's last newline is kept, as ``{% include %}`` keeps it; a missing attribute prints nothing.
"""

from __future__ import annotations

import html
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from django.template import defaultfilters
from django.utils.text import Truncator
from django.utils.translation import get_language
from jinja2 import Environment, Undefined, pass_context
from jinja2.runtime import Context

from .dates import date_text


def _finalize(value: Any) -> str:
    """What ``{{ value }}`` prints: a safe value as it is, anything else escaped as Django does."""
    if isinstance(value, str):
        return value.__html__() if hasattr(value, "__html__") else html.escape(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    if isinstance(value, Undefined):
        return ""
    return html.escape(str(value))


def _language(context: Context) -> str | None:
    """The language the render was given (``language``: asked once per render, for it is a thread-local
    lookup), or the active one."""
    language = context.get("language")
    return language if isinstance(language, str) else get_language()


@pass_context
def _date(context: Context, value: date | datetime | None, fmt: str) -> str:
    """``value|date:fmt`` (``core.dates.date_text``: each day's text made once)."""
    return date_text(value, fmt, _language(context))


@lru_cache(maxsize=4096)
def _floatformat(value: Any, arg: str, language: str | None) -> str:
    return defaultfilters.floatformat(value, arg)


@pass_context
def _number(context: Context, value: Any, arg: str = "-1") -> str:
    """``value|floatformat:arg``, remembered like ``_date`` (days and funding repeat across offers)."""
    try:
        return _floatformat(value, arg, _language(context))
    except TypeError:  # unhashable: format it afresh
        return defaultfilters.floatformat(value, arg)


def _truncatechars(value: str, length: int) -> str:
    return Truncator(value).chars(length)


def environment(**options: Any) -> Environment:
    options["undefined"] = Undefined  # as Django prints a missing value: nothing (DEBUG or not)
    options["autoescape"] = False  # _finalize escapes every value instead (see above)
    env = Environment(finalize=_finalize, keep_trailing_newline=True, **options)  # noqa: S701 - _finalize escapes
    env.filters.update(
        {
            "linebreaksbr": defaultfilters.linebreaksbr,
            "floatformat": _number,
            "pluralize": defaultfilters.pluralize,
            "truncatechars": _truncatechars,
            "date": _date,
        }
    )
    return env
