"""The protocol's working-day calendar, as the meetings app names it: see ``core.working_days``."""

from core.working_days import (  # noqa: F401 - re-exported
    LONDON,
    WorkingCalendar,
    add_working_days,
    end_of_day,
    is_working_day,
    london_date,
    working_days_between,
)
