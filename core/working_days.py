"""Working days for the protocol's deadlines (docs/architecture.md, Deadline arithmetic).

A working day is Monday to Friday, less England's bank holidays (the ``holidays`` package, GB
subdivision ENG, which includes one-off days such as 2022-09-19) and less ``NonWorkingDay`` rows.
Counting starts on day 0: ``add_working_days(D, 5)`` is the fifth working day after D. A due date is
met up to 23:59 Europe/London on that day; dates are Europe/London dates.
"""

from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

LONDON = ZoneInfo("Europe/London")


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


#: Closures beyond the bank holidays: the meetings app owns the table.
CLOSURE_MODEL = "meetings.NonWorkingDay"


def _closures(start: date, end: date) -> set[date]:
    from django.apps import apps

    return set(apps.get_model(CLOSURE_MODEL).objects.filter(date__range=(start, end)).values_list("date", flat=True))


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

    def between(self, start: date, end: date) -> int:
        """As ``working_days_between``: the working days in (start, end], negative if end is earlier."""
        if not (self.lo <= min(start, end) and max(start, end) <= self.hi):
            return working_days_between(start, end)
        counts, origin = self._prefix(), self.lo.toordinal()
        return counts[end.toordinal() - origin] - counts[start.toordinal() - origin]
