from django.contrib.auth.decorators import login_not_required
from django.urls import path

from . import two_factor, views
from .pages import urls as pages_urls

app_name = "accounts"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("sign-in/", login_not_required(views.SignInView.as_view()), name="login"),
    path("sign-out/", views.SignOutView.as_view(), name="logout"),
    path("two-factor/", two_factor.verify, name="two_factor_verify"),
    path("two-factor/set-up/", two_factor.setup, name="two_factor_setup"),
    path("audit/", views.audit_log, name="audit_log"),
]

# People, invitations, access requests, your account, the forgotten password and the public pages.
urlpatterns += pages_urls.urlpatterns
