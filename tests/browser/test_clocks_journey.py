"""The protocol's clocks in the browser: the CSA asks for more time for a draft note, the DCS agrees
it on the meeting's timeline, the due date moves; the administrator adds an office closure and
imports GOV.UK's bank holidays; anyone chooses how reminders reach them. axe runs on every page."""

from datetime import date
from pathlib import Path

import pytest

from tests.browser.conftest import axe_check, click_and_wait

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
GOVUK = Path(__file__).resolve().parents[2] / "meetings" / "data" / "bank-holidays.json"


def click(page, role, name):
    click_and_wait(page, page.get_by_role(role, name=name, exact=True).first)
    axe_check(page)


def test_an_extension_asked_for_and_agreed_then_the_calendar(browser_for, live_server):
    from core.working_days import add_working_days, london_date
    from meetings import services
    from meetings.models import Meeting
    from tests.conftest import build_world
    from tests.meetings.factories import meeting_for

    world = build_world()
    held = add_working_days(london_date(), -1)
    meeting = meeting_for(world, title="KIT with Newcastle, autumn", status=Meeting.Status.SCHEDULED)
    note = services.mark_held(actor=world.csa, meeting=meeting, held_on=held, officer_concerned=world.la_officer)
    new_due = add_working_days(note.draft_due, 2)

    csa = browser_for("csa@example.gov.uk")
    csa.goto(live_server.url + meeting.get_absolute_url())
    axe_check(csa)
    click(csa, "link", "Ask for more time for the draft note")
    csa.get_by_label("New due date").fill(new_due.strftime("%d/%m/%Y"))
    csa.get_by_label("Why is more time needed?").fill("The adviser is ill this week.")
    click(csa, "button", "Ask for the extension")
    assert "Extension asked for" in csa.locator(".govuk-notification-banner").inner_text()
    assert "Awaiting agreement" in csa.locator("#extensions + ol").inner_text()

    dcs = browser_for("dcs@example.gov.uk")
    dcs.goto(live_server.url + meeting.get_absolute_url())
    axe_check(dcs)
    click(dcs, "link", f"Agree the extension to {new_due.day} {new_due:%B %Y}")
    click(dcs, "button", "Agree the extension")
    assert "Extension agreed" in dcs.locator(".govuk-notification-banner").inner_text()
    note.refresh_from_db()
    assert note.draft_due == new_due
    assert f"{new_due.day} {new_due:%B %Y}" in dcs.locator("main").inner_text()

    # Anyone: reminders one by one, or a daily digest.
    click(dcs, "link", "Meetings")
    click(dcs, "link", "Reminder emails: one by one, or a daily digest")
    dcs.get_by_label("An email for each reminder").check()
    click(dcs, "button", "Save")
    assert "an email for each reminder" in dcs.locator(".govuk-notification-banner").inner_text()

    # The administrator: an office closure, then GOV.UK's bank holidays.
    admin = browser_for("admin@example.gov.uk")
    click(admin, "link", "Meetings")
    click(admin, "link", "Closures")
    closure = date(london_date().year + 1, 6, 2)
    admin.get_by_label("Date of the closure").fill(closure.strftime("%d/%m/%Y"))
    admin.get_by_label("Reason").fill("Office move")
    click(admin, "button", "Add the closure")
    assert "Closure added" in admin.locator(".govuk-notification-banner").inner_text()
    assert "Office move" in admin.locator("main").inner_text()
    click(admin, "link", "Bank holidays from GOV.UK")
    admin.get_by_label("GOV.UK's bank-holidays.json").set_input_files(str(GOVUK))
    click(admin, "button", "Import the bank holidays")
    assert "GOV.UK's bank holidays imported" in admin.locator(".govuk-notification-banner").inner_text()
    assert "agree on every weekday from 2012 to 2028" in admin.locator("main").inner_text()
