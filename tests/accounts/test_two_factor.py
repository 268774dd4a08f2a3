"""Two-factor sign-in (TOTP): required for administrators and GO directors, optional for others."""

import importlib
import re
from base64 import b32decode
from io import StringIO
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AuditEvent, Role
from demo.cast import DEMO_TOTP_KEY, seed_two_factor
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def two_factor_on(settings):
    settings.TWO_FACTOR_REQUIRED_ROLES = ["admin", "go_director"]
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # tests enter a wrong code and then the right one at once


def code(key_hex, step_offset=0):
    return str(totp(bytes.fromhex(key_hex), drift=step_offset)).zfill(6)


def device_for(user, key=DEMO_TOTP_KEY):
    return TOTPDevice.objects.create(user=user, name="Phone", key=key, confirmed=True)


def sign_in(client, email):
    return client.post(reverse("accounts:login"), {"username": email, "password": PASSWORD})


def test_required_roles_default_to_admins_and_go_directors():
    module = importlib.import_module("jisp_portal.settings")
    assert module.TWO_FACTOR_REQUIRED_ROLES == ["admin", "go_director"]


def test_a_go_director_without_a_device_is_sent_to_set_up_and_can_turn_it_on(client):
    director = UserFactory(email="director@example.gov.uk", role=Role.GO_DIRECTOR)
    response = sign_in(client, "director@example.gov.uk")
    assert response.status_code == 302
    page = client.get(response["Location"], follow=True)
    assert page.redirect_chain[-1][0].startswith(reverse("accounts:two_factor_setup"))
    html = page.content.decode()
    assert "Your role needs two-factor sign-in" in html
    uri = re.search(r'<code id="totp-uri">([^<]+)</code>', html).group(1).replace("&amp;", "&")
    assert uri.startswith("otpauth://totp/JISP%20portal%3Adirector%40example.gov.uk?")
    secret = parse_qs(urlparse(uri).query)["secret"][0]
    shown = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', html).group(1).replace(" ", "")
    assert shown == secret
    assert not TOTPDevice.objects.filter(user=director).exists(), "looking at the set-up page changes nothing"

    key = b32decode(secret).hex()
    setup_url = page.redirect_chain[-1][0]
    wrong = client.post(setup_url, {"code": "000000" if code(key) != "000000" else "111111"})
    assert wrong.status_code == 200
    assert "The code is not correct or has expired" in wrong.content.decode()
    assert client.get("/").status_code == 302

    done = client.post(setup_url, {"code": code(key)})
    assert done.status_code == 302
    assert done["Location"] == "/"
    device = TOTPDevice.objects.get(user=director)
    assert device.confirmed
    assert device.key == key
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(action=AuditEvent.Action.TWO_FACTOR_ENROLLED, actor=director).exists()


def test_an_admin_with_a_device_must_enter_a_code_at_every_sign_in(client):
    admin_user = UserFactory(email="admin@example.gov.uk", role=Role.ADMIN, is_staff=True, is_superuser=True)
    device_for(admin_user)
    sign_in(client, "admin@example.gov.uk")
    response = client.get("/audit/?action=changed")
    assert response.status_code == 302
    verify_url = response["Location"]
    assert verify_url.startswith(reverse("accounts:two_factor_verify"))
    assert parse_qs(urlparse(verify_url).query)["next"] == ["/audit/?action=changed"]
    assert client.get(reverse("admin:index")).status_code == 302
    assert client.get(reverse("accounts:audit_log")).status_code == 302

    page = client.get(verify_url)
    assert "Enter your code" in page.content.decode()
    assert "govuk-service-navigation__list" not in page.content.decode(), "no navigation before the code"
    bad = client.post(verify_url, {"code": "12ab56"})
    assert "Enter the 6-digit code from your authenticator app, like 123456" in bad.content.decode()
    assert "govuk-error-summary" in bad.content.decode()
    wrong = client.post(verify_url, {"code": "999999" if code(DEMO_TOTP_KEY) != "999999" else "888888"})
    assert "The code is not correct" in wrong.content.decode()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.TWO_FACTOR_FAILED, actor=admin_user).exists()

    ok = client.post(verify_url, {"code": code(DEMO_TOTP_KEY)})
    assert ok.status_code == 302
    assert ok["Location"] == "/audit/?action=changed"
    assert client.get(reverse("admin:index")).status_code == 200
    assert AuditEvent.objects.filter(action=AuditEvent.Action.TWO_FACTOR_VERIFIED, actor=admin_user).exists()

    client.post(reverse("accounts:logout"))
    sign_in(client, "admin@example.gov.uk")
    assert client.get("/").status_code == 302, "a new session needs a new code"
    assert client.post(verify_url, {"code": code(DEMO_TOTP_KEY)}).status_code == 200, "a used code is refused"
    assert client.post(verify_url, {"code": code(DEMO_TOTP_KEY, 1)}).status_code == 302
    assert client.get("/").status_code == 200


def test_an_unverified_session_cannot_replace_the_device(client):
    director = UserFactory(role=Role.GO_DIRECTOR)
    device_for(director)
    client.force_login(director)
    response = client.get(reverse("accounts:two_factor_setup"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor_verify"))
    assert client.post(reverse("accounts:two_factor_setup"), {"code": "123456"}).status_code == 302
    assert TOTPDevice.objects.filter(user=director).count() == 1


def test_the_next_parameter_cannot_send_the_user_off_site(client):
    director = UserFactory(role=Role.GO_DIRECTOR)
    device_for(director)
    client.force_login(director)
    url = reverse("accounts:two_factor_verify") + "?next=https://evil.example/"
    response = client.post(url, {"code": code(DEMO_TOTP_KEY)})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_sign_out_health_and_static_are_reachable_before_the_code(client):
    director = UserFactory(role=Role.GO_DIRECTOR)
    device_for(director)
    client.force_login(director)
    assert client.get("/healthz").status_code in (200, 503)
    assert client.get("/static/css/portal.css").status_code in (200, 404)  # never the 2FA redirect
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_other_roles_do_not_need_a_code(client):
    csa = UserFactory(email="csa@example.gov.uk", role=Role.CSA)
    sign_in(client, "csa@example.gov.uk")
    assert client.get("/").status_code == 200
    assert not TOTPDevice.objects.filter(user=csa).exists()


def test_other_roles_may_turn_it_on_and_are_then_asked_for_a_code(client):
    csa = UserFactory(email="csa@example.gov.uk", role=Role.CSA)
    sign_in(client, "csa@example.gov.uk")
    page = client.get(reverse("accounts:two_factor_setup"))
    html = page.content.decode()
    assert "Two-factor sign-in is optional for your role" in html
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', html).group(1).replace(" ", "")
    key = b32decode(secret).hex()
    assert client.post(reverse("accounts:two_factor_setup"), {"code": code(key)}).status_code == 302
    status = client.get(reverse("accounts:two_factor_setup"))
    assert "Two-factor sign-in" in status.content.decode()
    assert "govuk-tag--green" in status.content.decode()

    client.post(reverse("accounts:logout"))
    sign_in(client, "csa@example.gov.uk")
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor_verify"))
    assert client.post(reverse("accounts:two_factor_verify"), {"code": code(key, 1)}).status_code == 302
    assert client.get("/").status_code == 200
    assert csa.totpdevice_set.get().confirmed


def test_with_no_required_roles_nobody_is_stopped(client, settings):
    settings.TWO_FACTOR_REQUIRED_ROLES = []
    client.force_login(UserFactory(role=Role.ADMIN, is_superuser=True, is_staff=True))
    assert client.get("/").status_code == 200


def test_demo_users_get_a_device_and_demo_totp_prints_a_code_that_works(client):
    admin_user = UserFactory(email="admin@demo.test", role=Role.ADMIN, is_staff=True, is_superuser=True)
    director = UserFactory(email="director@demo.test", role=Role.GO_DIRECTOR)
    users = {"admin@demo.test": admin_user, "director@demo.test": director}
    seed_two_factor(users)
    seed_two_factor(users)  # idempotent
    assert TOTPDevice.objects.filter(confirmed=True, key=DEMO_TOTP_KEY).count() == 2
    out = StringIO()
    call_command("demo_totp", "Director@demo.test", stdout=out)
    printed = out.getvalue().strip()
    assert re.fullmatch(r"\d{6}", printed)
    sign_in(client, "director@demo.test")
    assert client.post(reverse("accounts:two_factor_verify"), {"code": printed}).status_code == 302
    assert client.get("/").status_code == 200


def test_demo_totp_is_refused_in_production(settings):
    settings.PRODUCTION = True
    UserFactory(email="admin@demo.test", role=Role.ADMIN)
    with pytest.raises(CommandError, match="refused when DJANGO_ENV=production"):
        call_command("demo_totp", "admin@demo.test")


def test_demo_totp_names_a_user_without_a_device():
    UserFactory(email="csa@demo.test", role=Role.CSA)
    with pytest.raises(CommandError, match="has not set up two-factor"):
        call_command("demo_totp", "csa@demo.test")


def _matrix_pages():
    from accounts.middleware import EXEMPT_URL_NAMES
    from tests.matrix import all_cases

    return [c for c in all_cases() if c.method == "get" and c.url_name not in EXEMPT_URL_NAMES]


MATRIX_PAGES = _matrix_pages()


@pytest.mark.parametrize("role", ["admin", "go_director"])
@pytest.mark.parametrize("case", MATRIX_PAGES, ids=[c.name for c in MATRIX_PAGES])
def test_every_page_of_the_matrix_waits_for_the_code(case, role, world, client):
    """Generic over the permission matrix: an administrator or GO director who has not entered a code
    reaches no page of the portal — they are sent to enter it (or to set it up)."""
    device_for(world.users["go_director"])
    objects = case.setup(world) if case.setup else None
    url = case.url(world, objects)
    client.force_login(world.users[role])
    response = client.get(url)
    if response.status_code == 404 and case.status_for(role) == 404:
        return  # an object this role may not see stays a 404 (the 2FA page would reveal nothing either)
    assert response.status_code == 302, f"{case.name} as {role}: got {response.status_code}"
    expected = "accounts:two_factor_verify" if role == "go_director" else "accounts:two_factor_setup"
    assert response["Location"].startswith(reverse(expected)), response["Location"]
