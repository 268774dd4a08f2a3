"""Sign-in, the role dashboard, /healthz and the GOV.UK error pages."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.panels import panels_for

from . import health
from .filters import AuditEventFilter
from .forms import SignInForm
from .models import AuditEvent
from .rules import is_admin


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


@method_decorator(transaction.atomic, name="post")
class SignOutView(auth_views.LogoutView):
    """Signing out forgets the session and writes the audit event together, or not at all."""


def dashboard(request):
    return render(request, "accounts/dashboard.html", {"panels": panels_for(request.user)})


AUDIT_PAGE_SIZE = 50


@require_GET
def audit_log(request):
    """The audit log, for administrators only (everyone else: 404), filtered and paginated."""
    if not is_admin(request.user):
        raise Http404
    events = AuditEvent.objects.select_related("actor")
    filterset = AuditEventFilter(request.GET or None, queryset=events)
    queryset = filterset.qs if filterset.is_bound else events
    page_obj = Paginator(queryset, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/audit_log.html",
        {
            "filter": filterset,
            "form": filterset.form,
            "page_obj": page_obj,
            "events": page_obj.object_list,
            "query_string": query.urlencode(),
        },
    )


@login_not_required
@require_GET
@never_cache
def healthz(request):
    checks = health.status()
    down = [name for name, ok in checks.items() if not ok]
    body = {"status": "ok" if not down else "down", "checks": {k: "up" if v else "down" for k, v in checks.items()}}
    if down:
        body["down"] = down
    return JsonResponse(body, status=503 if down else 200)


@login_not_required
def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


@login_not_required
def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


@login_not_required
def server_error(request):
    return render(request, "500.html", status=500)
