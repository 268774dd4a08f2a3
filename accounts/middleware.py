"""Two-factor sign-in enforcement (after django-otp's OTPMiddleware, which sets ``is_verified``), the
page shown when the database cannot be reached, and ``Cache-Control: no-store`` on every response."""

import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from .two_factor import confirmed_device, must_verify

#: URL names a user who still owes a code may reach.
EXEMPT_URL_NAMES = frozenset(
    {
        "accounts:login",
        "accounts:logout",
        "accounts:two_factor_verify",
        "accounts:two_factor_setup",
        "accounts:two_factor_link",
        "accounts:signed_out",
        "accounts:session_status",
        "accounts:accessibility",
        "accounts:privacy",
        "accounts:cookies",
        "healthz",
    }
)


GetResponse = Callable[[HttpRequest], HttpResponse]


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        match = getattr(request, "resolver_match", None)
        if match is not None and match.view_name in EXEMPT_URL_NAMES:
            return None
        if request.path_info.startswith(settings.STATIC_URL):
            return None
        if not must_verify(request):
            return None
        name = "accounts:two_factor_verify" if confirmed_device(request.user) else "accounts:two_factor_setup"
        query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
        return redirect(f"{reverse(name)}?{query}" if query else reverse(name))


log = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    """A lost or refused database connection (OperationalError, InterfaceError) gives the GOV.UK
    "Sorry, there is a problem with the service" page with 503 and Retry-After, never a traceback.
    Services run in one transaction, so nothing the user submitted was half-saved. Other errors go
    to ``handler500``. With DEBUG on, Django's own error page is kept for developers."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if settings.DEBUG or not isinstance(exception, OperationalError | InterfaceError):
            return None
        log.error("Database unavailable on %s %s", request.method, request.path, exc_info=exception)
        response = HttpResponse(render_to_string("500.html"), status=503)  # the page needs no database
        response["Retry-After"] = "30"
        return response


class NoStoreMiddleware:
    """``Cache-Control: no-store`` (and ``private``, ``Expires`` in the past) on every response the
    portal makes: pages, exports, PDFs, uploads and the calendar feed all carry OFFICIAL-SENSITIVE
    material or a form's CSRF token, so no browser or proxy keeps a copy (ASVS 8.2.1). Static files
    never reach it: WhiteNoise, above it, answers them with their own long-lived headers."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Cache-Control" in response:
            del response["Cache-Control"]
        add_never_cache_headers(response)
        return response
