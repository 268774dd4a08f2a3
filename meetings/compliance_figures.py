"""The compliance page's figures (the 5-working-day rule), counted in SQL.

Working days are the working calendar's ordinals: ``WorkingCalendar.ordinals`` gives, for every date
of a window, the working days from the window's start, so "working days from a to b" is ordinal(b) -
ordinal(a), exactly ``WorkingCalendar.between``. The ordinals travel as one parameter (a PostgreSQL
array, or JSON read by SQLite's ``json_each``). One query returns counts by CSA, provider, stage,
outcome and working days taken, with the working days of agreed extension; medians come from those
counts. A note with a date outside the window makes ``figures`` raise ``OutsideWindow`` (the caller
counts again over every date). The outcomes are those of ``queries.note_outcomes``
(tests/meetings/test_compliance_sql.py compares the two).
"""

from __future__ import annotations

import json
import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db import connections
from django.db.models import F, Max, Min
from django.db.models.functions import TruncDate

from core.working_days import LONDON, WorkingCalendar, london_date

from .models import DeadlineExtension, Meeting, MeetingNote

if TYPE_CHECKING:
    from django.db.models import QuerySet

STAGES = ("draft", "response", "final")
STAGE_ROWS = (
    ("draft", "Draft note", ""),
    ("response", "Authority's response", "none by the due date"),
    ("final", "Final note", ""),
)


@dataclass
class StageFigures:
    on_time: int = 0
    extended: int = 0  # on time with an agreed extension
    late: int = 0
    extension_days: int = 0  # the working days of the agreed extensions
    taken: list[int] = field(default_factory=list)

    @property
    def median(self) -> float | None:
        return statistics.median(self.taken) if self.taken else None

    @property
    def median_text(self) -> str:
        m = self.median
        return "—" if m is None else f"{m:g}"


@dataclass
class Group:
    label: str
    stages: dict[str, StageFigures] = field(default_factory=lambda: {s: StageFigures() for s in STAGES})
    notes: int = 0

    @property
    def rows(self) -> list[tuple[str, StageFigures, str]]:
        """(stage label, StageFigures, what "late" means) for each stage, in order."""
        return [(label, self.stages[stage], late) for stage, label, late in STAGE_ROWS]


_DATE_FIELDS = ("draft_due", "response_due", "final_due")
_MOMENT_FIELDS = ("draft_circulated_at", "comments_received_at", "final_sent_at")
#: How far before the earliest due date the figures' calendar starts: a note's meeting, circulation and
#: comments come before its due dates; a date outside the window is noticed and the window widened.
LEAD_DAYS = 120


def notes_calendar(today: date, *, every_date: bool = False) -> WorkingCalendar:
    """A calendar from ``LEAD_DAYS`` before the earliest due date of any note to the latest (or today):
    one query, of index probes. With ``every_date``, a window holding every date of every note and
    meeting exactly (two queries reading both tables). Each also reads the closures (one query)."""
    if not every_date:
        found: dict[str, Any] = MeetingNote.objects.aggregate(
            **{f"{f}_lo": Min(f) for f in _DATE_FIELDS}, **{f"{f}_hi": Max(f) for f in _DATE_FIELDS}
        )
        dues = [v for v in found.values() if v is not None]
        return WorkingCalendar(min([*dues, today]) - timedelta(days=LEAD_DAYS), max([*dues, today]))
    fields = (*_DATE_FIELDS, *_MOMENT_FIELDS)
    found = MeetingNote.objects.aggregate(**{f"{f}_lo": Min(f) for f in fields}, **{f"{f}_hi": Max(f) for f in fields})
    found |= Meeting.objects.aggregate(held_lo=Min("held_on"), held_hi=Max("held_on"))
    dates = [today] + [london_date(v) if isinstance(v, datetime) else v for v in found.values() if v is not None]
    return WorkingCalendar(min(dates), max(dates))


def _calendar_sql(vendor: str, calendar: WorkingCalendar) -> tuple[dict[str, str], list[Any]]:
    """The working-day ordinals as SQL: the CTE ``cal``, how a note ``n`` joins it, and the ordinals
    of its meeting's date, circulation, comments (or the response's due date) and final note.
    PostgreSQL subscripts an array of the window's ordinals (no join, so no row estimate to go
    wrong); SQLite joins a table of (date, ordinal) once for each date."""
    ordinals = calendar.ordinals()
    dates = {"held": "n.held_on", "c": "n.c", "r": "COALESCE(n.r, n.response_due)", "f": "n.f"}
    if vendor == "postgresql":
        return {
            "calendar": "SELECT %s::date, %s::integer[]",
            "columns": "lo, ords",
            "join": "CROSS JOIN cal",
            # Keeps each CTE a subquery computed once a row: pulled up, each use of its columns would
            # repeat their expressions (the time-zone conversions, the CASEs).
            "fence": " OFFSET 0",
            **{f"o_{k}": f"cal.ords[{v} - cal.lo + 1]" for k, v in dates.items()},
        }, [calendar.lo, [n for _, n in ordinals]]
    return {
        "calendar": "SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(%s)",
        "columns": "d, n",
        "fence": "",
        "join": " ".join(f"LEFT JOIN cal cal_{k} ON cal_{k}.d = {v}" for k, v in dates.items()),
        **{f"o_{k}": f"cal_{k}.n" for k in dates},
    }, [json.dumps([[d.isoformat(), n] for d, n in ordinals])]


def _notes_sql(scope: QuerySet[MeetingNote]) -> tuple[str, list[Any]]:
    """The scope's notes: id, status, draft_due, response_due, final_due, held_on, csa_id, provider_id
    and the Europe/London dates of circulation, comments and the final note."""
    qs = (
        scope.order_by()
        .annotate(
            f_held=F("meeting__held_on"),
            f_csa=F("meeting__authority__csa_id"),
            f_provider=F("meeting__organiser__provider_id"),
            f_circulated=TruncDate("draft_circulated_at", tzinfo=LONDON),
            f_comments=TruncDate("comments_received_at", tzinfo=LONDON),
            f_final=TruncDate("final_sent_at", tzinfo=LONDON),
        )
        .values_list(
            "pk",
            "status",
            "draft_due",
            "response_due",
            "final_due",
            "f_held",
            "f_csa",
            "f_provider",
            "f_circulated",
            "f_comments",
            "f_final",
        )
    )
    sql, params = qs.query.sql_with_params()
    return sql, list(params)


# One row per note: for each stage a key, 4 x the working days it took + its outcome (0 on time, 1 on
# time with an agreed extension, 2 late; the response late when its window closed with no comments),
# NULL while it is unfinished; and the working days of its agreed extensions.
_PER_NOTE_SQL = """
WITH cal ({columns}) AS ({calendar}),
notes (id, status, draft_due, response_due, final_due, held_on, csa_id, provider_id, c, r, f) AS ({notes}{fence}),
ext (note_id, d_days, d_first, r_days, r_first, f_days, f_first) AS (
    SELECT note_id,
        SUM(CASE WHEN stage = 'draft' THEN working_days END), MIN(CASE WHEN stage = 'draft' THEN old_due END),
        SUM(CASE WHEN stage = 'response' THEN working_days END), MIN(CASE WHEN stage = 'response' THEN old_due END),
        SUM(CASE WHEN stage = 'final' THEN working_days END), MIN(CASE WHEN stage = 'final' THEN old_due END)
    FROM {extensions} WHERE status = %s GROUP BY note_id
),
per_note (csa_id, provider_id, d_key, d_days, r_key, r_days, f_key, f_days, outside) AS (
    SELECT n.csa_id, n.provider_id,
        CASE WHEN n.c IS NULL OR n.held_on IS NULL THEN NULL
             ELSE 4 * ({o_c} - {o_held}) + CASE WHEN n.c > n.draft_due THEN 2
                 WHEN e.d_days <> 0 AND n.c > e.d_first THEN 1 ELSE 0 END END,
        COALESCE(e.d_days, 0),
        CASE WHEN n.c IS NULL OR n.response_due IS NULL THEN NULL
             WHEN n.r IS NULL THEN CASE WHEN n.status IN (%s, %s) THEN 4 * ({o_r} - {o_c}) + 2 END
             ELSE 4 * ({o_r} - {o_c}) + CASE WHEN n.r > n.response_due THEN 2
                 WHEN e.r_days <> 0 AND n.r > e.r_first THEN 1 ELSE 0 END END,
        COALESCE(e.r_days, 0),
        CASE WHEN n.f IS NULL OR n.final_due IS NULL THEN NULL
             ELSE 4 * ({o_f} - {o_r}) + CASE WHEN n.f > n.final_due THEN 2
                 WHEN e.f_days <> 0 AND n.f > e.f_first THEN 1 ELSE 0 END END,
        COALESCE(e.f_days, 0),
        CASE WHEN (n.held_on IS NOT NULL AND {o_held} IS NULL) OR (n.c IS NOT NULL AND {o_c} IS NULL)
            OR (COALESCE(n.r, n.response_due) IS NOT NULL AND {o_r} IS NULL) OR (n.f IS NOT NULL AND {o_f} IS NULL)
            THEN 1 ELSE 0 END
    FROM notes n LEFT JOIN ext e ON e.note_id = n.id {join}{fence}
)
"""
# Counts by CSA, provider, stage (1 draft, 2 response, 3 final; 0: the notes) and key, with the
# working days of extension (for the notes: how many have a date outside the calendar's window). PostgreSQL groups each note's row into the four sets in one pass (a key
# NULL: the stage unfinished); SQLite, which has no GROUPING SETS, reads the rows once per stage.
_GROUPED_SQL = {
    "postgresql": """
SELECT csa_id, provider_id,
    CASE GROUPING(d_key, r_key, f_key) WHEN 3 THEN 1 WHEN 5 THEN 2 WHEN 6 THEN 3 ELSE 0 END,
    COALESCE(d_key, r_key, f_key), COUNT(*),
    CASE GROUPING(d_key, r_key, f_key) WHEN 3 THEN SUM(d_days) WHEN 5 THEN SUM(r_days) WHEN 6 THEN SUM(f_days)
        ELSE SUM(outside) END
FROM per_note
GROUP BY GROUPING SETS (
    (csa_id, provider_id, d_key), (csa_id, provider_id, r_key), (csa_id, provider_id, f_key), (csa_id, provider_id)
)
""",
    "sqlite": """
SELECT csa_id, provider_id, 0, NULL, COUNT(*), SUM(outside) FROM per_note GROUP BY csa_id, provider_id
UNION ALL
SELECT csa_id, provider_id, 1, d_key, COUNT(*), SUM(d_days) FROM per_note
WHERE d_key IS NOT NULL GROUP BY csa_id, provider_id, d_key
UNION ALL
SELECT csa_id, provider_id, 2, r_key, COUNT(*), SUM(r_days) FROM per_note
WHERE r_key IS NOT NULL GROUP BY csa_id, provider_id, r_key
UNION ALL
SELECT csa_id, provider_id, 3, f_key, COUNT(*), SUM(f_days) FROM per_note
WHERE f_key IS NOT NULL GROUP BY csa_id, provider_id, f_key
""",
}


def _figures_rows(scope: QuerySet[MeetingNote], calendar: WorkingCalendar) -> list[tuple[Any, ...]]:
    connection = connections[scope.db]
    q = connection.ops.quote_name
    calendar_sql, calendar_params = _calendar_sql(connection.vendor, calendar)
    notes_sql, notes_params = _notes_sql(scope)
    S = MeetingNote.Status
    # Only quoted table names and SQL the ORM compiled are formatted in; values are parameters.
    per_note = _PER_NOTE_SQL.format(**calendar_sql, notes=notes_sql, extensions=q(DeadlineExtension._meta.db_table))
    sql = per_note + _GROUPED_SQL["postgresql" if connection.vendor == "postgresql" else "sqlite"]
    params = [*calendar_params, *notes_params, DeadlineExtension.Status.AGREED, S.NO_COMMENTS, S.FINAL_SENT]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _add(figures: StageFigures, key: int, count: int, extension_days: int) -> None:
    """Count ``count`` finished stages of one key (4 x working days taken + outcome) in ``figures``."""
    taken, outcome = divmod(key, 4)
    if outcome == 0:
        figures.on_time += count
    elif outcome == 1:
        figures.extended += count
    else:
        figures.late += count
    figures.extension_days += extension_days
    figures.taken += [taken] * count


class OutsideWindow(Exception):
    """A note has a date outside the calendar's window: count again with ``notes_calendar(every_date=True)``."""


def figures(
    scope: QuerySet[MeetingNote], calendar: WorkingCalendar
) -> tuple[Group, dict[int, Group], dict[int, Group]]:
    """The figures of the notes of ``scope``: (all notes, {CSA id: Group}, {provider id: Group}) — the
    groups unlabelled — from one query of counts by CSA, provider, stage, outcome and working days
    taken. Raises ``OutsideWindow`` if a note has a date outside ``calendar``'s window."""
    total = Group("All notes")
    by_csa: dict[int, Group] = {}
    by_provider: dict[int, Group] = {}
    if scope.query.is_empty():  # ``none()``: an account that may see no notes
        return total, by_csa, by_provider
    rows = _figures_rows(scope, calendar)
    if any(stage == 0 and outside for _, _, stage, _, _, outside in rows):
        raise OutsideWindow
    for csa_id, provider_id, stage, key, count, extension_days in rows:
        if stage and key is None:
            continue  # notes whose stage is not finished
        groups = [total]
        if csa_id is not None:
            groups.append(by_csa.get(csa_id) or by_csa.setdefault(csa_id, Group("")))
        if provider_id is not None:
            groups.append(by_provider.get(provider_id) or by_provider.setdefault(provider_id, Group("")))
        for group in groups:
            if stage == 0:
                group.notes += count
                continue
            _add(group.stages[STAGES[stage - 1]], int(key), count, int(extension_days))
    for figures in (f for g in (total, *by_csa.values(), *by_provider.values()) for f in g.stages.values()):
        figures.taken.sort()
    return total, by_csa, by_provider
