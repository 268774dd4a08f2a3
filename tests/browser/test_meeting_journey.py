"""Journey 2, the protocol's meeting cycle, clicked through by each person in their own browser:
the CSA schedules a keeping-in-touch meeting with its purpose and agenda, the authority's officer
agrees the agenda, the CSA marks it held and circulates the draft note, the officer challenges a
judgement and submits the authority's response, the CSA sends the final note and the DCS reads it. axe runs on every page visited."""

import pytest

from tests.browser.conftest import axe_check, click_and_wait

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Keeping in touch: Newcastle upon Tyne, spring"
PURPOSE = "Review progress on the JISP priorities for early help."
AGENDA = "1. Progress against NI 112\n2. Early help capacity"
DRAFT = "The authority's early help offer is improving; capacity in the east locality remains a risk."
CHALLENGE = "The rating of early help does not reflect the new locality teams in place since January."
FINAL = "The authority's early help offer is improving; the locality teams are recognised."


def click(page, role, name):
    """Click a link or button by its accessible name, wait for the page it loads, and run axe on it."""
    click_and_wait(page, page.get_by_role(role, name=name, exact=True).first)
    axe_check(page)


def open_meeting_from_meetings(page):
    click(page, "link", "Meetings")
    click(page, "link", TITLE)


def test_kit_meeting_from_schedule_to_final_note(browser_for, live_server):
    from core.working_days import london_date
    from meetings.models import Meeting
    from tests.conftest import build_world

    build_world()
    today = london_date().strftime("%d/%m/%Y")

    # The CSA schedules the meeting, with its purpose, agenda and who contributes what.
    csa = browser_for("csa@example.gov.uk")
    axe_check(csa)
    click(csa, "link", "Meetings")
    click(csa, "link", "Schedule a meeting")
    csa.get_by_label("Local authority").select_option(label="Newcastle upon Tyne")
    csa.get_by_label("Kind of meeting").select_option(label="Keeping in touch (KIT) meeting")
    csa.get_by_label("Title").fill(TITLE)
    csa.get_by_label("Purpose").fill(PURPOSE)
    csa.get_by_label("Date").fill(today)
    csa.get_by_label("Time", exact=True).fill("09:30")
    csa.get_by_label("Agenda").fill(AGENDA)
    csa.get_by_label("Attendees and their contribution").fill("officer@example.gov.uk: Lead for early help")
    click(csa, "button", "Save meeting")
    assert "Meeting scheduled" in csa.locator(".govuk-notification-banner").inner_text()
    assert csa.locator("h1").inner_text().startswith(TITLE)
    assert "Not agreed" in csa.get_by_role("heading", name="Agenda").inner_text()

    # The LA officer finds it among the meetings and agrees the agenda.
    officer = browser_for("officer@example.gov.uk")
    axe_check(officer)
    open_meeting_from_meetings(officer)
    assert PURPOSE in officer.locator(".govuk-summary-list").first.inner_text()
    click(officer, "link", "Agree the agenda")
    click(officer, "button", "Agree agenda")
    assert "Agenda agreed" in officer.locator(".govuk-notification-banner").inner_text()
    assert "Agreed" in officer.get_by_role("heading", name="Agenda").inner_text()

    # The CSA marks it held, writes the draft with a judgement and circulates it.
    csa.reload()
    click(csa, "link", "Mark as held")
    csa.get_by_label("Date the meeting was held").fill(today)
    csa.get_by_label("Officer concerned").select_option(label=str(_user("officer@example.gov.uk")))
    click(csa, "button", "Mark as held")
    assert "draft note is due within 5 working days" in csa.locator(".govuk-notification-banner").inner_text()
    click(csa, "link", "Write the draft note")
    csa.get_by_label("Draft note").fill(DRAFT)
    csa.get_by_label("Judgement 1: area").fill("Early help")
    csa.get_by_label("Judgement 1: rating of performance").select_option(label="Adequate")
    csa.get_by_label("Judgement 1: risk").select_option(label="High")
    click(csa, "button", "Save draft")
    assert "Draft note saved" in csa.locator(".govuk-notification-banner").inner_text()
    click(csa, "link", "Circulate the draft")
    click(csa, "button", "Circulate draft")
    assert "Draft circulated" in csa.locator(".govuk-notification-banner").inner_text()

    # The officer reads the draft and challenges the judgement.
    officer.goto(live_server.url + "/")
    axe_check(officer)
    assert "Draft notes awaiting your response" in officer.locator("main").inner_text()
    click(officer, "link", TITLE)
    assert DRAFT in officer.locator("main").inner_text()
    click(officer, "link", "Comment or challenge a judgement")
    officer.get_by_label("Your comment").fill(CHALLENGE)
    officer.get_by_label("Challenge this judgement (optional)").select_option(label="Early help: Adequate, High risk")
    click(officer, "button", "Send comment")
    assert "Comment sent" in officer.locator(".govuk-notification-banner").inner_text()
    assert "Challenges: Early help" in officer.locator("main").inner_text()

    # The officer concerned submits the authority's response, the challenge in it.
    click(officer, "link", "Submit the authority's response")
    assert CHALLENGE in officer.locator("main").inner_text()
    click(officer, "button", "Submit the authority's response")
    assert "the final note is due by" in officer.locator(".govuk-notification-banner").inner_text()

    # The CSA sees the challenge and sends the final note.
    csa.reload()
    axe_check(csa)
    assert CHALLENGE in csa.locator("main").inner_text()
    assert "Challenged" in csa.get_by_role("table", name="Judgements").inner_text()
    click(csa, "link", "Send the final note")
    csa.get_by_label("Final note").fill(FINAL)
    click(csa, "button", "Send final note")
    assert "Final note sent" in csa.locator(".govuk-notification-banner").inner_text()

    # The DCS, copied in, reads the final note.
    dcs = browser_for("dcs@example.gov.uk")
    axe_check(dcs)
    open_meeting_from_meetings(dcs)
    main = dcs.locator("main").inner_text()
    assert "Final note sent" in main
    assert FINAL in main
    assert CHALLENGE in main

    meeting = Meeting.objects.get(title=TITLE)
    assert meeting.note.status == "final_sent"
    assert meeting.note.comments.get().judgement.area == "Early help"


def _user(email):
    from accounts.models import User

    return User.objects.get(email=email)
