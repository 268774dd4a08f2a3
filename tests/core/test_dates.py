"""core.dates.date_text prints what the template's date filter prints."""

from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template

from core.dates import date_text

SUMMER_NIGHT = datetime(2026, 7, 1, 23, 30, tzinfo=UTC)  # 00:30 on 2 July in London (summer time)
NEW_YEARS_EVE = datetime(2026, 12, 31, 23, 59, tzinfo=UTC)  # still 31 December in London (winter)
CASES = [
    *((moment, format) for moment in (SUMMER_NIGHT, NEW_YEARS_EVE) for format in ("j M Y", "H:i", "D j M, H:i")),
    (date(2010, 6, 30), "j M Y"),
    (None, "j M Y"),
]


@pytest.mark.parametrize(("value", "format"), CASES)
def test_date_text_is_what_the_date_filter_prints(value, format):
    expected = Template("{{ value|date:format }}").render(Context({"value": value, "format": format}))
    assert date_text(value, format) == expected
    assert date_text(value, format) == expected  # again, from the texts already made


def test_a_summer_night_is_the_next_day_in_london():
    assert date_text(SUMMER_NIGHT, "j M Y") == "2 Jul 2026"
    assert date_text(SUMMER_NIGHT, "H:i") == "00:30"
