"""The protocol's working days against real English bank holidays."""

from datetime import date, timedelta

import pytest

from core.working_days import (
    WorkingCalendar,
    add_working_days,
    end_of_day,
    is_working_day,
    working_days_between,
)
from meetings.models import NonWorkingDay

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (date(2026, 11, 23), 5, date(2026, 11, 30)),  # Monday + 5 = next Monday
        (date(2026, 11, 27), 5, date(2026, 12, 4)),  # Friday + 5 = next Friday
        (date(2026, 11, 28), 5, date(2026, 12, 4)),  # held on a Saturday: the first working day is Monday
        (date(2022, 4, 13), 5, date(2022, 4, 22)),  # Easter 2022: Good Friday 15th and Easter Monday 18th
        (date(2022, 9, 15), 5, date(2022, 9, 23)),  # the Queen's state funeral, Monday 19 September 2022
        (date(2023, 5, 4), 5, date(2023, 5, 12)),  # the coronation bank holiday, Monday 8 May 2023
        (date(2022, 12, 22), 5, date(2023, 1, 3)),  # Christmas 2022 on a Sunday: 26th and 27th, then 2 Jan 2023
        (date(2026, 12, 23), 5, date(2027, 1, 4)),  # Boxing Day 2026 on a Saturday: substitute Monday 28th
    ],
)
def test_add_working_days_skips_weekends_and_bank_holidays(start, days, due):
    assert add_working_days(start, days) == due


def test_day_zero_is_the_start_itself():
    assert add_working_days(date(2026, 11, 25), 0) == date(2026, 11, 25)


def test_scottish_and_northern_irish_holidays_are_working_days():
    assert is_working_day(date(2026, 11, 30))  # St Andrew's Day (Scotland)
    assert is_working_day(date(2026, 3, 17))  # St Patrick's Day (Northern Ireland)
    assert is_working_day(date(2026, 8, 3))  # Scotland's summer bank holiday
    assert not is_working_day(date(2026, 8, 31))  # England's summer bank holiday


def test_non_working_days_added_by_an_admin_are_skipped():
    NonWorkingDay.objects.create(date=date(2026, 11, 26), reason="Office closure")
    assert not is_working_day(date(2026, 11, 26))
    assert add_working_days(date(2026, 11, 23), 5) == date(2026, 12, 1)


def test_counting_back_and_between():
    assert add_working_days(date(2026, 11, 30), -5) == date(2026, 11, 23)
    assert working_days_between(date(2026, 11, 23), date(2026, 11, 30)) == 5
    assert working_days_between(date(2026, 11, 30), date(2026, 11, 23)) == -5
    assert working_days_between(date(2022, 12, 23), date(2023, 1, 3)) == 4  # 28, 29, 30 Dec and 3 Jan


def test_a_due_date_is_met_until_midnight_in_london():
    deadline = end_of_day(date(2026, 7, 1))
    assert (deadline.hour, deadline.minute) == (23, 59)
    assert deadline.utcoffset().total_seconds() == 3600  # British Summer Time


def test_the_calendar_counts_between_as_the_functions_do(django_assert_max_num_queries):
    """Every pair of days around Christmas 2022 and the state funeral (19 September 2022), with admin
    closures, inside and across the calendar's window (where it falls back to the functions)."""
    for closed in (date(2022, 12, 21), date(2023, 1, 4), date(2022, 9, 20), date(2022, 9, 23)):
        NonWorkingDay.objects.create(date=closed, reason="Office closure")
    calendar = WorkingCalendar(date(2022, 9, 12), date(2022, 11, 20))  # the window: 2 Sep 2022 to 19 Jan 2023
    with django_assert_max_num_queries(0):
        assert calendar.between(date(2022, 9, 16), date(2022, 9, 26)) == 3  # 21, 22, 26 September
        assert calendar.between(date(2022, 12, 23), date(2023, 1, 3)) == 4  # 28, 29, 30 Dec; 3 Jan
    days = [date(2022, 9, 10) + timedelta(days=i) for i in range(20)]
    days += [date(2022, 12, 17) + timedelta(days=i) for i in range(40)]  # runs past the window's end
    for start in days:
        for end in days[::3]:
            assert calendar.between(start, end) == working_days_between(start, end), (start, end)
