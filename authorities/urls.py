from django.urls import path

from . import views

app_name = "authorities"

urlpatterns = [
    path("", views.authority_list, name="list"),
    path("indicators/", views.indicator_list, name="indicator_list"),
    path("forums/", views.forum_list, name="forum_list"),
    path("forums/new/", views.forum_create, name="forum_create"),
    path("forums/<int:pk>/", views.forum_detail, name="forum_detail"),
    path("forums/<int:pk>/edit/", views.forum_edit, name="forum_edit"),
    path("<str:gss_code>/", views.authority_detail, name="detail"),
    path("<str:gss_code>/reassign-csa/", views.reassign_csa, name="reassign_csa"),
]
