"""A person's own account: password (change, forgotten), email address, sessions (see and end them,
the 30-minute idle timeout within the 8 hours), "enter your password again" after 15 minutes, two-
factor devices (replace, remove) and the emails every credential change sends; the public pages."""

import re
import time
from base64 import b32decode

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import sessions
from accounts.models import AuditEvent, OutboundEmail, Role, User, UserSession
from demo.cast import DEMO_TOTP_KEY
from tests.accounts.factories import UserFactory
from tests.accounts.mail import emails_to, link_to, subjects_to

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"
NEW_PASSWORD = "harbour lantern violet"


def sign_in(client, user, password=PASSWORD, agent="Mozilla/5.0 (Windows NT 10.0) Firefox/120.0"):
    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": password}, HTTP_USER_AGENT=agent
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return response


def age_session(client, **seconds_ago):
    """Move this session's clocks back (signed in, last activity, password entered)."""
    session = client.session
    now = int(time.time())
    for key, name in (
        (sessions.SIGNED_IN_AT, "signed_in"),
        (sessions.LAST_ACTIVITY, "activity"),
        (sessions.AUTHENTICATED_AT, "password"),
    ):
        if name in seconds_ago:
            session[key] = now - seconds_ago[name]
    session.save()


# --- the password ---------------------------------------------------------------------------------


def test_changing_the_password_asks_for_the_current_one_emails_and_ends_other_sessions(world, client):
    from django.test import Client

    elsewhere = Client()
    sign_in(elsewhere, world.csa, agent="Mozilla/5.0 (iPhone) Safari/604.1")
    sign_in(client, world.csa)
    url = reverse("accounts:password_change")
    wrong = client.post(url, {"old_password": "nope", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert "Your current password is not correct" in wrong.content.decode()
    short = client.post(url, {"old_password": PASSWORD, "new_password1": "eleven-char", "new_password2": "eleven-char"})
    assert "at least 12 characters" in short.content.decode()
    done = client.post(url, {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert client.get("/").status_code == 200, "this session carries on"
    assert elsewhere.get("/").status_code == 302, "the other session is signed out"
    assert User.objects.get(pk=world.csa.pk).check_password(NEW_PASSWORD)
    assert "Your JISP portal password has been changed" in subjects_to(world.csa.email)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.PASSWORD_CHANGED, actor=world.csa).exists()


def test_a_password_changed_anywhere_is_emailed(world):
    user = world.dcs
    user.set_password(NEW_PASSWORD)
    user.save()
    assert subjects_to(user.email) == ["Your JISP portal password has been changed"]
    user.full_name = "Sam O."
    user.save()
    assert len(emails_to(user.email)) == 1, "only credential changes are told"


def test_credential_pages_ask_for_the_password_again_after_15_minutes(world, client):
    sign_in(client, world.csa)
    age_session(client, password=16 * 60)
    for name in ("accounts:password_change", "accounts:email_change", "accounts:two_factor_replace"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:confirm_password"))
    setup = client.get(reverse("accounts:two_factor_setup"))
    assert setup["Location"].startswith(reverse("accounts:confirm_password")), "turning two-factor on, too"
    confirm = reverse("accounts:confirm_password") + "?next=" + reverse("accounts:password_change")
    wrong = client.post(confirm, {"password": "nope"})
    assert "Your password is not correct" in wrong.content.decode()
    right = client.post(confirm, {"password": PASSWORD})
    assert right["Location"] == reverse("accounts:password_change")
    assert client.get(reverse("accounts:password_change")).status_code == 200


def test_approving_a_plan_asks_for_the_password_again_after_15_minutes(world, client):
    from plans.models import JISP
    from tests.plans.factories import JISPFactory

    plan = JISPFactory(authority=world.newcastle, status=JISP.Status.AWAITING_APPROVAL)
    sign_in(client, world.dcs)
    url = reverse("plans:approve", kwargs={"pk": plan.pk})
    assert client.get(url).status_code == 200
    age_session(client, password=16 * 60)
    response = client.post(url, {"version": plan.version})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:confirm_password"))
    plan.refresh_from_db()
    assert plan.status == JISP.Status.AWAITING_APPROVAL, "nothing of the refused POST was done"


# --- forgotten password -------------------------------------------------------------------------------


def test_forgot_password_gives_the_same_answer_whether_or_not_the_email_exists(world, client):
    url = reverse("accounts:password_reset")
    known = client.post(url, {"email": world.csa.email})
    unknown = client.post(url, {"email": "nobody@example.gov.uk"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("accounts:password_reset_sent")
    assert subjects_to(world.csa.email) == ["Reset your JISP portal password"]
    assert not OutboundEmail.objects.filter(recipient="nobody@example.gov.uk").exists()


def test_a_reset_link_sets_a_new_password_once_and_ends_every_session(world, client):
    from django.test import Client

    elsewhere = Client()
    sign_in(elsewhere, world.csa)
    client.post(reverse("accounts:password_reset"), {"email": world.csa.email})
    link = link_to(world.csa.email, "/password-reset/")
    form_url = client.get(link)["Location"]
    page = client.get(form_url).content.decode()
    assert "Set a new password" in page
    done = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done["Location"] == reverse("accounts:password_reset_done")
    assert elsewhere.get("/").status_code == 302
    assert "This link does not work" in client.get(link, follow=True).content.decode()
    sign_in(client, User.objects.get(pk=world.csa.pk), password=NEW_PASSWORD)
    assert "Your JISP portal password has been changed" in subjects_to(world.csa.email)


def test_forgot_password_is_throttled_per_email_and_per_address(world, client):
    url = reverse("accounts:password_reset")
    for _ in range(5):
        assert client.post(url, {"email": world.csa.email})["Location"] == reverse("accounts:password_reset_sent")
    assert len(emails_to(world.csa.email)) == 3, "3 an hour for one address; the answer does not change"
    for n in range(15):
        client.post(url, {"email": f"someone{n}@example.gov.uk"})
    refused = client.post(url, {"email": world.dcs.email})
    assert refused.status_code == 200
    assert "too many requests from your network" in refused.content.decode()
    assert not emails_to(world.dcs.email)


# --- email address --------------------------------------------------------------------------------


def test_changing_the_email_address_is_confirmed_from_the_new_address(world, client):
    sign_in(client, world.la_officer)
    response = client.post(reverse("accounts:email_change"), {"email": "Olu@New.example.gov.uk", "password": PASSWORD})
    assert response.status_code == 302
    link = link_to("olu@new.example.gov.uk", "/account/email/")
    assert User.objects.get(pk=world.la_officer.pk).email == world.la_officer.email, "not until confirmed"
    assert client.get(link).status_code == 200, "a GET changes nothing"
    done = client.post(link)
    assert done.status_code == 302
    assert User.objects.get(pk=world.la_officer.pk).email == "olu@new.example.gov.uk"
    assert "Your JISP portal email address has been changed" in subjects_to(world.la_officer.email)
    assert "Your JISP portal email address has been changed" in subjects_to("olu@new.example.gov.uk")
    again = client.post(link)
    assert "already been used" in again.content.decode()


def test_an_email_change_link_is_for_its_own_account_only(world, client):
    sign_in(client, world.la_officer)
    client.post(reverse("accounts:email_change"), {"email": "taken@example.gov.uk", "password": PASSWORD})
    link = link_to("taken@example.gov.uk", "/account/email/")
    client.force_login(world.dcs)
    assert "for another account" in client.post(link).content.decode()
    assert User.objects.get(pk=world.dcs.pk).email == "dcs@example.gov.uk"


# --- sessions -----------------------------------------------------------------------------------------


def test_a_user_sees_their_sessions_and_ends_the_others(world, client):
    from django.test import Client

    phone = Client()
    sign_in(phone, world.csa, agent="Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) Version/17.0 Mobile Safari/604.1")
    sign_in(client, world.csa)
    page = client.get(reverse("accounts:sessions")).content.decode()
    assert "Firefox on Windows" in page
    assert "Safari on iPhone" in page
    assert "This browser" in page
    other = UserSession.objects.get(user=world.csa, user_agent="Safari on iPhone")
    assert client.post(reverse("accounts:session_end", args=[other.pk])).status_code == 302
    assert phone.get("/").status_code == 302, "signed out there"
    page = client.get(reverse("accounts:sessions")).content.decode()
    table = page[page.index('id="sessions"') :]
    assert "Safari on iPhone" not in table
    assert "Firefox on Windows" in table
    mine = UserSession.objects.get(user=world.csa)
    client.force_login(world.dcs)
    assert client.post(reverse("accounts:session_end", args=[mine.pk])).status_code == 404, "nobody else's"


def test_signing_out_forgets_the_session(world, client):
    sign_in(client, world.csa)
    assert UserSession.objects.filter(user=world.csa).count() == 1
    client.post(reverse("accounts:logout"))
    assert not UserSession.objects.filter(user=world.csa).exists()


def test_an_idle_session_is_signed_out_after_30_minutes_by_the_server(world, client):
    sign_in(client, world.csa)
    age_session(client, activity=29 * 60)
    assert client.get("/").status_code == 200, "29 minutes idle: still signed in (and now active again)"
    age_session(client, activity=31 * 60)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:signed_out")
    assert client.get("/").status_code == 302
    assert "/sign-in/" in client.get("/")["Location"]
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SESSION_TIMED_OUT, actor=world.csa).exists()
    assert not UserSession.objects.filter(user=world.csa).exists()


def test_a_busy_session_still_ends_after_8_hours(world, client):
    sign_in(client, world.csa)
    age_session(client, signed_in=8 * 3600 + 1, activity=10)
    assert client.get("/")["Location"] == reverse("accounts:signed_out")


def test_the_timeout_warning_asks_the_time_left_and_stay_signed_in_resets_it(world, client):
    sign_in(client, world.csa)
    page = client.get("/").content.decode()
    assert 'id="session-timeout"' in page
    assert 'data-idle-seconds="1800"' in page
    assert 'data-warning-seconds="120"' in page
    age_session(client, activity=28 * 60)
    status = client.get(reverse("accounts:session_status")).json()
    assert status["signed_in"]
    assert 100 <= status["seconds_left"] <= 120, "asking does not count as activity"
    assert client.get(reverse("accounts:session_status")).json()["seconds_left"] <= 120
    kept = client.post(reverse("accounts:session_keep_alive"), HTTP_X_REQUESTED_WITH="fetch").json()
    assert kept["seconds_left"] > 29 * 60
    plain = client.post(reverse("accounts:session_keep_alive"), {"next": "/plans/"})
    assert plain["Location"] == "/plans/", "without JavaScript the form comes back to the page"
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("accounts:session_status")).json() == {"signed_in": False, "seconds_left": 0}


def test_signed_out_pages_have_no_timeout_warning(client, db):
    assert 'id="session-timeout"' not in client.get(reverse("accounts:login")).content.decode()


# --- two-factor devices ---------------------------------------------------------------------------------


def _code(key_hex, drift=0):
    return str(totp(bytes.fromhex(key_hex), drift=drift)).zfill(6)


def _verified(client, user):
    device = TOTPDevice.objects.create(user=user, name="Phone", key=DEMO_TOTP_KEY, confirmed=True)
    sign_in(client, user)
    assert client.post(reverse("accounts:two_factor_verify"), {"code": _code(DEMO_TOTP_KEY)}).status_code == 302
    return device


def test_replacing_the_app_needs_a_current_code_then_swaps_the_device(world, client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    old = _verified(client, world.csa)
    url = reverse("accounts:two_factor_replace")
    assert "Replace your authenticator app" in client.get(url).content.decode()
    wrong = client.post(url, {"code": "000000" if _code(DEMO_TOTP_KEY, 1) != "000000" else "111111"})
    assert "The code is not correct" in wrong.content.decode()
    assert client.post(url, {"code": _code(DEMO_TOTP_KEY, 1)})["Location"] == reverse("accounts:two_factor_setup")
    page = client.get(reverse("accounts:two_factor_setup")).content.decode()
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    key = b32decode(secret).hex()
    assert client.post(reverse("accounts:two_factor_setup"), {"code": _code(key)}).status_code == 302
    assert list(TOTPDevice.objects.filter(user=world.csa).values_list("key", flat=True)) == [key]
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    subjects = subjects_to(world.csa.email)
    assert "Two-factor sign-in set up on your JISP portal account" in subjects
    assert "Two-factor device removed from your JISP portal account" in subjects


def test_removing_the_app_needs_a_current_code_and_is_refused_for_a_role_that_needs_it(world, client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    _verified(client, world.la_officer)
    url = reverse("accounts:two_factor_remove")
    assert client.post(url, {"code": _code(DEMO_TOTP_KEY, 1)})["Location"] == reverse("accounts:account")
    assert not TOTPDevice.objects.filter(user=world.la_officer).exists()
    assert "Two-factor device removed from your JISP portal account" in subjects_to(world.la_officer.email)

    settings.TWO_FACTOR_REQUIRED_ROLES = [Role.GO_DIRECTOR.value]
    from django.test import Client

    other = Client()
    _verified(other, world.go_director)
    refused = other.get(url, follow=True)
    assert "Your role needs two-factor sign-in" in refused.content.decode()
    assert TOTPDevice.objects.filter(user=world.go_director).exists()


def test_a_device_added_or_deleted_in_the_django_admin_is_emailed():
    user = UserFactory(email="someone@example.gov.uk", role=Role.NATIONAL)
    device = TOTPDevice.objects.create(user=user, name="Phone", key=DEMO_TOTP_KEY, confirmed=True)
    device.name = "Renamed"
    device.save()
    device.delete()
    assert subjects_to("someone@example.gov.uk") == [
        "Two-factor sign-in set up on your JISP portal account",
        "Two-factor device removed from your JISP portal account",
    ]


# --- the public pages -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["accounts:accessibility", "accounts:privacy", "accounts:cookies"])
def test_public_pages_are_reachable_signed_out_and_linked_from_every_page(client, db, name):
    page = client.get(reverse(name))
    assert page.status_code == 200
    sign_in_page = client.get(reverse("accounts:login")).content.decode()
    assert f'href="{reverse(name)}"' in sign_in_page


def test_the_accessibility_statement_has_what_the_regulations_ask(client, db):
    page = client.get(reverse("accounts:accessibility")).content.decode()
    for heading in (
        "How accessible this service is",
        "Feedback and contact information",
        "Enforcement procedure",
        "How we tested this service",
        "Web Content Accessibility Guidelines version 2.2",
    ):
        assert heading in page


def test_the_cookies_page_names_the_cookies_actually_set(client, db, settings):
    page = client.get(reverse("accounts:cookies")).content.decode()
    assert settings.SESSION_COOKIE_NAME in page
    assert settings.CSRF_COOKIE_NAME in page
    assert "only essential cookies" in page


def test_your_account_links_to_everything_you_can_change(world, client):
    client.force_login(world.csa)
    page = client.get(reverse("accounts:account")).content.decode()
    for name in ("accounts:password_change", "accounts:email_change", "accounts:two_factor_setup", "accounts:sessions"):
        assert reverse(name) in page
    assert Session.objects.exists()
