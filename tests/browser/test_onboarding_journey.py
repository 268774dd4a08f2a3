"""Onboarding a region: an administrator invites a CSA; the CSA follows the emailed link (read from
the outbound email queue), sets a password, signs in and invites the DCS of an authority they lead;
the DCS sets up their account (with JavaScript off) and signs in. axe runs on every page visited.
Two-factor sign-in is off in tests (``TWO_FACTOR_REQUIRED_ROLES = []``)."""

import pytest

from tests.browser.conftest import axe_check, click_and_wait, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CSA_EMAIL = "robin.reid@go-ne.example.gov.uk"
CSA_PASSWORD = "harbour lantern violet"
DCS_EMAIL = "dana.gates@gateshead.example.gov.uk"
DCS_PASSWORD = "quartz meadow tugboat"


def click(page, role, name):
    click_and_wait(page, page.get_by_role(role, name=name, exact=True).first)
    axe_check(page)


def emailed_link(address, fragment):
    from tests.accounts.mail import link_to

    return link_to(address, fragment)


def set_up_account(page, base_url, address, name, password):
    page.goto(base_url + emailed_link(address, "/invitation/"))
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Set up your account"
    assert "/invitation/" in page.url
    assert page.url.count("/") == 5, "the token is not left in the address bar"
    axe_check(page)
    page.get_by_label("Full name").fill(name)
    page.get_by_label("New password", exact=True).fill("too short")
    page.get_by_label("Confirm your new password").fill("too short")
    click(page, "button", "Create account")
    assert "at least 12 characters" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("New password", exact=True).fill(password)
    page.get_by_label("Confirm your new password").fill(password)
    click(page, "button", "Create account")
    assert "Your account is ready." in page.locator(".govuk-notification-banner").inner_text()
    assert page.locator("h1").inner_text() == "Your dashboard"


def test_an_administrator_invites_a_csa_who_invites_their_dcs(browser_for, new_page, live_server):
    from accounts.models import Invitation, Role, User
    from authorities.services import reassign_csa
    from tests.conftest import build_world

    world = build_world()
    base = live_server.url

    # The administrator invites a CSA for the North East.
    admin = browser_for("admin@example.gov.uk")
    axe_check(admin)
    click(admin, "link", "People")
    assert admin.locator("h1").inner_text() == "People"
    click(admin, "button", "Invite someone")
    admin.get_by_label("Full name").fill("Robin Reid")
    admin.get_by_label("Email address").fill(CSA_EMAIL)
    admin.get_by_label("Children's Services Adviser", exact=True).check()
    click(admin, "button", "Send invitation")
    assert admin.locator(".govuk-error-summary").inner_text().count("Select the region") == 1
    admin.get_by_label("Region").select_option(label="North East")
    click(admin, "button", "Send invitation")
    assert f"Invitation sent to {CSA_EMAIL}" in admin.locator(".govuk-notification-banner").inner_text()
    assert CSA_EMAIL in admin.locator("#invitations").inner_text()

    # The CSA follows the emailed link, sets a password and is signed in.
    csa = new_page()
    set_up_account(csa, base, CSA_EMAIL, "Robin Reid", CSA_PASSWORD)
    robin = User.objects.get(email=CSA_EMAIL)
    assert (robin.role, robin.region) == (Role.CSA, world.ne)
    click(csa, "button", "Sign out")

    # The GO director makes Robin Gateshead's lead adviser; Robin signs in with the new password.
    reassign_csa(actor=world.go_director, authority=world.gateshead, csa=robin)
    sign_in(csa, base, CSA_EMAIL, CSA_PASSWORD)
    assert csa.locator("h1").inner_text() == "Your dashboard"
    axe_check(csa)

    # Robin invites the DCS of Gateshead.
    click(csa, "link", "Invitations")
    click(csa, "button", "Invite someone")
    csa.get_by_label("Full name").fill("Dana Gates")
    csa.get_by_label("Email address").fill(DCS_EMAIL)
    csa.get_by_label("Director of Children's Services", exact=True).check()
    csa.get_by_label("Local authority", exact=True).select_option(label="Gateshead")
    assert csa.get_by_label("Local authority", exact=True).locator("option").all_inner_texts() == [
        "Select a local authority",
        "Gateshead",
    ], "only the authorities Robin leads"
    click(csa, "button", "Send invitation")
    assert f"Invitation sent to {DCS_EMAIL}" in csa.locator(".govuk-notification-banner").inner_text()
    invitation = Invitation.objects.get(email=DCS_EMAIL)
    assert invitation.invited_by == robin
    assert invitation.authority == world.gateshead

    # The DCS sets up their account without JavaScript, then signs out and in again.
    dcs = new_page(java_script_enabled=False)
    set_up_account(dcs, base, DCS_EMAIL, "Dana Gates", DCS_PASSWORD)
    click(dcs, "button", "Sign out")
    sign_in(dcs, base, DCS_EMAIL, DCS_PASSWORD)
    assert dcs.locator("h1").inner_text() == "Your dashboard"
    assert "Director of Children's Services, Gateshead" in dcs.locator(".app-user-bar").inner_text()
    axe_check(dcs)
    world.gateshead.refresh_from_db()
    assert world.gateshead.dcs.email == DCS_EMAIL, "the vacant DCS post is theirs"

    # The link cannot be used again; the CSA sees the invitation accepted.
    dcs.goto(base + emailed_link(DCS_EMAIL, "/invitation/"))
    assert dcs.locator("h1").inner_text() == "You are already signed in"
    click(csa, "link", "Invitations")
    click(csa, "link", "Accepted")
    assert DCS_EMAIL in csa.locator("#invitations").inner_text()


def test_forgot_password_and_the_public_pages_without_javascript(page_no_js, live_server):
    from tests.conftest import build_world

    build_world()
    base = live_server.url
    page = page_no_js
    page.goto(f"{base}/sign-in/")
    axe_check(page)
    click(page, "link", "Forgot your password?")
    page.get_by_label("Email address").fill("csa@example.gov.uk")
    click(page, "button", "Send me a reset link")
    assert page.locator("h1").inner_text() == "Check your email"
    page.goto(base + emailed_link("csa@example.gov.uk", "/password-reset/"))
    assert page.locator("h1").inner_text() == "Set a new password"
    axe_check(page)
    page.get_by_label("New password", exact=True).fill("saffron kettle orbit")
    page.get_by_label("Confirm your new password").fill("saffron kettle orbit")
    click(page, "button", "Set password")
    assert page.locator("h1").inner_text() == "Your password has been changed"
    for link in ("Accessibility statement", "Privacy", "Cookies"):
        click(page, "link", link)
    sign_in(page, base, "csa@example.gov.uk", "saffron kettle orbit")
    assert page.locator("h1").inner_text() == "Your dashboard"
