"""Working days for the protocol's deadlines (docs/architecture.md, Deadline arithmetic).

A working day is Monday to Friday, less England's bank holidays and less ``NonWorkingDay`` rows
(closures). The bank holidays of record are GOV.UK's: for the years the latest imported
``BankHolidaySnapshot`` covers (GOV.UK's ``bank-holidays.json``, England and Wales), its events;
for other years the ``holidays`` package (GB subdivision ENG, which has the one-off days such as
2022-09-19). Counting starts on day 0: ``add_working_days(D, 5)`` is the fifth working day after D.
A due date is met up to 23:59 Europe/London on that day; dates are Europe/London dates.

The snapshot's days are kept in each process and re-read only when the latest snapshot changes: the
query that reads the closures of a window also returns the latest snapshot's id and SHA-256, so a
new import is seen by every process at its next calculation without a query of its own.
"""

import threading
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import holidays

LONDON = ZoneInfo("Europe/London")


@lru_cache(maxsize=64)
def _package_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def package_bank_holidays(year: int) -> dict[date, str]:
    """The ``holidays`` package's bank holidays of England in ``year``: {date: name}."""
    return dict(holidays.country_holidays("GB", subdiv="ENG", years=year))


#: Closures beyond the bank holidays, and imported GOV.UK bank holidays: the meetings app owns the
#: tables (named, not imported, so that ``core`` depends on no app).
CLOSURE_MODEL = "meetings.NonWorkingDay"
SNAPSHOT_MODEL = "meetings.BankHolidaySnapshot"


class _Snapshot:
    """The calendar of record from the latest snapshot: its version (id and SHA-256), the years it
    covers and its days."""

    def __init__(self, version: tuple[int, str] | None = None, events: Iterable[dict[str, Any]] = ()) -> None:
        self.version = version
        self.days = frozenset(date.fromisoformat(e["date"]) for e in events)
        self.years = (
            frozenset(range(min(d.year for d in self.days), max(d.year for d in self.days) + 1))
            if self.days
            else frozenset()
        )


_snapshot = _Snapshot()
_snapshot_lock = threading.Lock()


def _bank_holidays(year: int) -> frozenset[date]:
    snapshot = _snapshot
    if year in snapshot.years:
        return snapshot.days
    return _package_holidays(year)


def _load_snapshot(version: tuple[int, str] | None) -> None:
    """Make the snapshot ``version`` (id, sha256) the calendar of record in this process."""
    global _snapshot
    from django.apps import apps

    with _snapshot_lock:
        if _snapshot.version == version:
            return
        if version is None:
            _snapshot = _Snapshot()
            return
        events = apps.get_model(SNAPSHOT_MODEL).objects.filter(pk=version[0]).values_list("events", flat=True).first()
        _snapshot = _Snapshot(version, events or ())


def forget_bank_holidays() -> None:
    """Drop this process's copy of the snapshot (an import calls it; other processes notice the new
    snapshot at their next calculation)."""
    global _snapshot
    with _snapshot_lock:
        _snapshot = _Snapshot()


def snapshot_version() -> tuple[int, str] | None:
    """The (id, sha256) of the snapshot this process calculates with, or None (the package only)."""
    return _snapshot.version


def _closures(start: date, end: date) -> set[date]:
    """The closures between ``start`` and ``end`` (inclusive), in one query that also says which
    snapshot is the latest (loading its days if this process does not have them yet). Plain SQL: it
    runs for every calculation, and the ORM's compilation would cost more than the query."""
    from django.apps import apps
    from django.db import connection

    q = connection.ops.quote_name
    closures = q(apps.get_model(CLOSURE_MODEL)._meta.db_table)
    snapshots = q(apps.get_model(SNAPSHOT_MODEL)._meta.db_table)
    day, pk, sha = q("date"), q("id"), q("sha256")
    # Only quoted table and column names are formatted in; the dates are parameters.
    sql = (
        f"SELECT {day}, NULL, NULL FROM {closures} WHERE {day} BETWEEN %s AND %s "  # noqa: S608
        f"UNION ALL SELECT NULL, {pk}, {sha} FROM {snapshots} WHERE {pk} = (SELECT MAX({pk}) FROM {snapshots})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [start.isoformat(), end.isoformat()])
        rows = cursor.fetchall()
    found: set[date] = set()
    version: tuple[int, str] | None = None
    for closed, snapshot_id, snapshot_sha in rows:
        if snapshot_id is not None:
            version = (snapshot_id, snapshot_sha)
        elif closed is not None:
            found.add(closed if isinstance(closed, date) else date.fromisoformat(str(closed)[:10]))
    if version != _snapshot.version:
        _load_snapshot(version)
    return found


def _is_working(d: date, closures: set[date]) -> bool:
    return d.weekday() < 5 and d not in _bank_holidays(d.year) and d not in closures


def is_working_day(d: date) -> bool:
    return _is_working(d, _closures(d, d))


def add_working_days(start: date, days: int) -> date:
    """The date ``days`` working days after ``start`` (``start`` is day 0; negative counts back)."""
    if days == 0:
        return start
    step = 1 if days > 0 else -1
    span = abs(days) * 2 + 20
    lo, hi = sorted((start, start + timedelta(days=step * span)))
    closures = _closures(lo, hi)
    d, left = start, abs(days)
    while left:
        d += timedelta(days=step)
        if not (lo <= d <= hi):  # a very long run of closures: widen the window
            lo, hi = sorted((d, d + timedelta(days=step * span)))
            closures = _closures(lo, hi)
        if _is_working(d, closures):
            left -= 1
    return d


def working_days_between(start: date, end: date) -> int:
    """How many working days from ``start`` to ``end`` (positive if end is later, 0 if the same)."""
    if start == end:
        return 0
    sign = 1 if end > start else -1
    lo, hi = sorted((start, end))
    closures = _closures(lo, hi)
    count, d = 0, lo
    while d < hi:
        d += timedelta(days=1)
        if _is_working(d, closures):
            count += 1
    return sign * count


def london_date(moment: datetime | None = None) -> date:
    """The Europe/London date of ``moment`` (now if None)."""
    from django.utils import timezone

    return (moment or timezone.now()).astimezone(LONDON).date()


def end_of_day(d: date) -> datetime:
    """23:59:59 Europe/London on ``d``: when a deadline on that date passes."""
    return datetime(d.year, d.month, d.day, 23, 59, 59, tzinfo=LONDON)


class WorkingCalendar:
    """Working-day arithmetic over a window with the closures read once (one query), for bulk work
    such as the deadline sweep or the compliance figures; outside the window it falls back to the
    functions above. ``between`` is O(1): a prefix count of working days over the window, built on
    first use."""

    def __init__(self, start: date, end: date) -> None:
        self.lo, self.hi = start - timedelta(days=10), end + timedelta(days=60)
        self.closures = _closures(self.lo, self.hi)
        self._counts: list[int] | None = None  # _counts[i]: working days in lo..lo+i (inclusive)

    def is_working_day(self, d: date) -> bool:
        if not (self.lo <= d <= self.hi):
            return is_working_day(d)
        return _is_working(d, self.closures)

    def add(self, start: date, days: int) -> date:
        step = 1 if days >= 0 else -1
        d, left = start, abs(days)
        while left:
            d += timedelta(days=step)
            if not (self.lo <= d <= self.hi):
                return add_working_days(start, days)
            if _is_working(d, self.closures):
                left -= 1
        return d

    def _prefix(self) -> list[int]:
        if self._counts is None:
            counts: list[int] = []
            n, d, one = 0, self.lo, timedelta(days=1)
            while d <= self.hi:
                n += _is_working(d, self.closures)
                counts.append(n)
                d += one
            self._counts = counts
        return self._counts

    def ordinals(self) -> list[tuple[date, int]]:
        """(date, working days from the window's start to it, inclusive) for every date of the window:
        the working days between two dates of the window are the difference of their ordinals (the
        compliance figures join this in SQL)."""
        first = self.lo.toordinal()
        return [(date.fromordinal(first + i), n) for i, n in enumerate(self._prefix())]

    def between(self, start: date, end: date) -> int:
        """As ``working_days_between``: the working days in (start, end], negative if end is earlier."""
        if not (self.lo <= min(start, end) and max(start, end) <= self.hi):
            return working_days_between(start, end)
        counts, origin = self._prefix(), self.lo.toordinal()
        return counts[end.toordinal() - origin] - counts[start.toordinal() - origin]


def due_label(due: date | None, today: date, calendar: WorkingCalendar) -> str:
    """ "due today" / "due in N working days" / "N working days overdue"."""
    if due is None:
        return ""
    n = calendar.between(today, due)
    if due == today:
        return "due today"
    if due > today:
        if n == 0:
            return "due on the next working day"
        return f"due in {n} working day{'s' if n != 1 else ''}"
    n = -n
    if n == 0:
        return "due on the last working day"
    return f"{n} working day{'s' if n != 1 else ''} overdue"
