"""``Authorization: Bearer <token>``: an ``ApiToken`` found by the SHA-256 of the token."""

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from .models import ApiToken, hash_key
from .services import record_use

KEYWORD = "Bearer"
REFUSED = "Invalid, expired or revoked token."


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """The token's person, while the token is neither revoked nor expired and the account is active.

    Every refusal says the same thing, so a caller learns nothing about which tokens exist.
    """

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode(errors="replace").lower() != KEYWORD.lower():
            return None
        if len(header) != 2:  # noqa: PLR2004 - "Bearer" and the token
            raise exceptions.AuthenticationFailed("Send the token as: Authorization: Bearer <token>")
        try:
            key = header[1].decode()
        except UnicodeDecodeError as error:
            raise exceptions.AuthenticationFailed(REFUSED) from error
        token = ApiToken.objects.select_related("user").filter(key_hash=hash_key(key)).first()
        if (
            token is None
            or token.revoked_at is not None
            or token.expires_at <= timezone.now()
            or not token.user.is_active
        ):
            raise exceptions.AuthenticationFailed(REFUSED)
        record_use(token)
        return token.user, token

    def authenticate_header(self, request):
        return KEYWORD


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A token an administrator issued to you (shown once). It expires and can be revoked.",
        }
