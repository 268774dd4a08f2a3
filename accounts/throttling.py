"""How django-axes names the account a sign-in attempt was for: the email, lower-cased, so
"CSA@Example" and "csa@example" count against the same account."""

from typing import Any

from django.http import HttpRequest


def attempted_email(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    value = (credentials or {}).get("username") or request.POST.get("username", "")
    return value.strip().lower()
