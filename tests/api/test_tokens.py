"""API tokens: hashed at rest, shown once, expiring, revocable, refused for a switched-off account,
recorded when used; issued and revoked by administrators (service, admin and commands); throttled."""

import hashlib
import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import AuditEvent
from accounts.services import deactivate_user
from api.models import ApiToken
from api.services import issue_api_token, revoke_api_token
from core.errors import ServiceError
from tests.accounts.test_settings import REAL_KEY, run

PLANS = "/api/v1/plans/"
REFUSED = {"detail": "Invalid, expired or revoked token."}


def bearer(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def test_a_token_is_stored_only_as_its_hash(world):
    token, key = issue_api_token(actor=world.admin, user=world.national, name="Departmental dashboard", days=30)
    token.refresh_from_db()
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    assert token.prefix == key[:8]
    assert len(key) >= 40
    assert token.created_by == world.admin
    assert timedelta(days=29) < token.expires_at - timezone.now() <= timedelta(days=30)
    assert AuditEvent.objects.filter(object_type="api.apitoken", object_id=str(token.pk)).exists()


def test_a_token_opens_the_api_and_records_its_use(world):
    token, key = issue_api_token(actor=None, user=world.national, name="Dashboard")
    assert token.last_used_at is None
    assert bearer(key).get(PLANS).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize(
    "header",
    ["Bearer not-a-token", "Bearer", "Bearer two words", "Token abc"],
)
def test_a_wrong_or_malformed_token_is_refused(world, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    assert client.get(PLANS).status_code == 401


def test_a_revoked_token_is_refused(world):
    token, key = issue_api_token(actor=None, user=world.national, name="Dashboard")
    revoke_api_token(actor=world.admin, token=token)
    response = bearer(key).get(PLANS)
    assert response.status_code == 401
    assert response.json() == REFUSED
    with pytest.raises(ServiceError, match="already revoked"):
        revoke_api_token(actor=world.admin, token=token)


def test_an_expired_token_is_refused(world):
    token, key = issue_api_token(actor=None, user=world.national, name="Dashboard", days=1)
    issued = timezone.now() - timedelta(days=2)
    ApiToken.objects.filter(pk=token.pk).update(created_at=issued, expires_at=issued + timedelta(days=1))
    assert bearer(key).get(PLANS).json() == REFUSED


def test_an_inactive_persons_token_is_refused_and_deactivation_revokes_it(world):
    token, key = issue_api_token(actor=None, user=world.csa, name="Regional report")
    world.csa.is_active = False
    world.csa.save()
    assert bearer(key).get(PLANS).status_code == 401
    world.csa.is_active = True
    world.csa.save()
    assert bearer(key).get(PLANS).status_code == 200
    deactivate_user(actor=world.admin, user=world.csa)
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_only_an_administrator_issues_or_revokes(world):
    with pytest.raises(PermissionDenied):
        issue_api_token(actor=world.national, user=world.national, name="My own")
    token, _ = issue_api_token(actor=world.admin, user=world.national, name="Dashboard")
    with pytest.raises(PermissionDenied):
        revoke_api_token(actor=world.csa, token=token)


def test_issuing_refuses_a_switched_off_account_and_silly_lifetimes(world, settings):
    world.dcs.is_active = False
    world.dcs.save()
    with pytest.raises(ServiceError, match="switched off"):
        issue_api_token(actor=world.admin, user=world.dcs, name="Report")
    with pytest.raises(ServiceError, match="between 1 and 365 days"):
        issue_api_token(actor=world.admin, user=world.national, name="Report", days=366)
    with pytest.raises(ServiceError, match="what the token is for"):
        issue_api_token(actor=world.admin, user=world.national, name="  ")


def test_the_commands_issue_once_and_revoke(world):
    out = StringIO()
    call_command("issue_api_token", "ANALYST@example.gov.uk", name="Dashboard", days=10, stdout=out)
    key = out.getvalue().strip().splitlines()[-1]
    assert bearer(key).get(PLANS).status_code == 200
    token = ApiToken.objects.get(user=world.national)
    call_command("revoke_api_token", token.prefix, stdout=StringIO())
    assert bearer(key).get(PLANS).status_code == 401
    with pytest.raises(CommandError, match="No account"):
        call_command("issue_api_token", "nobody@example.gov.uk", name="x", stdout=StringIO())
    with pytest.raises(CommandError, match="No unrevoked token"):
        call_command("revoke_api_token", "--email", "analyst@example.gov.uk", stdout=StringIO())


def test_an_administrator_issues_a_token_in_the_admin_and_sees_it_once(world, client):
    client.force_login(world.admin)
    response = client.post(
        reverse("admin:api_apitoken_add"),
        {"user": world.national.pk, "name": "Departmental dashboard", "days": 30},
        follow=True,
    )
    assert response.status_code == 200
    token = ApiToken.objects.get(user=world.national)
    [message] = [str(m) for m in response.context["messages"] if "copy it now" in str(m)]
    key = message.split(" is ")[1].split(" ")[0]
    assert key.startswith(token.prefix)
    assert bearer(key).get(PLANS).status_code == 200
    page = client.get(reverse("admin:api_apitoken_change", args=[token.pk])).content.decode()
    assert key not in page
    client.post(
        reverse("admin:api_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    assert bearer(key).get(PLANS).status_code == 401


def test_other_roles_cannot_reach_the_token_admin(world, client):
    client.force_login(world.national)
    assert client.get(reverse("admin:api_apitoken_add")).status_code in (302, 403, 404)


def test_requests_are_throttled_per_person_and_refusals_per_address(world, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api_user": "3/minute", "api_anonymous": "2/minute"},
    }
    _, key = issue_api_token(actor=None, user=world.national, name="Dashboard")
    statuses = [bearer(key).get(PLANS).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = [bearer("guessed-token").get(PLANS).status_code for _ in range(3)]
    assert refused == [401, 401, 429]


SESSION_PROBE = r"""
import json, django
django.setup()
from api.views import PlanViewSet
print(json.dumps({
    "authentication": [c.__name__ for c in PlanViewSet.authentication_classes],
    "renderers": [c.__name__ for c in PlanViewSet.renderer_classes],
}))
"""


def _api_classes(env, tmp_path):
    result = run(env, code=SESSION_PROBE, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_session_sign_in_reaches_the_data_in_development_only(world, client, tmp_path):
    client.force_login(world.national)
    assert client.get(PLANS).status_code == 200  # development: the browsable pages
    development = _api_classes({"DJANGO_ENV": "development"}, tmp_path)
    assert development["authentication"] == ["BearerTokenAuthentication", "SessionAuthentication"]
    assert "BrowsableAPIRenderer" in development["renderers"]
    production = _api_classes(
        {"DJANGO_ENV": "production", "SECRET_KEY": REAL_KEY, "ALLOWED_HOSTS": "testserver"}, tmp_path
    )
    assert production == {"authentication": ["BearerTokenAuthentication"], "renderers": ["JSONRenderer"]}
