"""Pages anyone may read, signed in or not: the accessibility statement, the privacy notice, the
cookies page, and "you have been signed out"."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..sessions import idle_timeout


def _page(request, template, **context):
    return render(request, template, context)


@login_not_required
@require_GET
def accessibility(request):
    return _page(request, "pages/accessibility.html")


@login_not_required
@require_GET
def privacy(request):
    return _page(request, "pages/privacy.html", session_hours=settings.SESSION_COOKIE_AGE // 3600)


@login_not_required
@require_GET
def cookies(request):
    return _page(
        request,
        "pages/cookies.html",
        session_cookie=settings.SESSION_COOKIE_NAME,
        csrf_cookie=settings.CSRF_COOKIE_NAME,
        session_hours=settings.SESSION_COOKIE_AGE // 3600,
        idle_minutes=idle_timeout() // 60,
    )


@login_not_required
@require_GET
def signed_out(request):
    return _page(request, "pages/signed_out.html", idle_minutes=idle_timeout() // 60)
