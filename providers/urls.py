from django.urls import path

from . import views

app_name = "providers"

urlpatterns = [
    path("", views.provider_list, name="list"),
    path("feedback/", views.feedback_list, name="feedback_list"),
    path("<str:abbreviation>/", views.provider_detail, name="detail"),
    path("<str:abbreviation>/feedback/", views.feedback_create, name="feedback_create"),
]
