"""URL configuration: each app owns its own URLs under a namespace."""

from django.contrib import admin
from django.urls import include, path

from accounts import views as account_views

admin.site.site_header = "JISP portal administration"
admin.site.site_title = "JISP portal admin"

urlpatterns = [
    path("healthz", account_views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("", include("accounts.urls")),
    path("authorities/", include("authorities.urls")),
    path("providers/", include("providers.urls")),
    path("plans/", include("plans.urls")),
    path("meetings/", include("meetings.urls")),
    path("improvement/", include("improvement.urls")),
    path("api/v1/", include("api.urls")),
    path("open-data/", include("api.open_data_urls")),
    path("search/", include("search.urls")),
]

handler403 = "accounts.views.permission_denied"
handler404 = "accounts.views.page_not_found"
handler500 = "accounts.views.server_error"
