from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("month/", views.month, name="month"),
    path("new/", views.create, name="create"),
    path("compliance/", views.compliance, name="compliance"),
    path("compliance.csv", views.compliance_csv, name="compliance_csv"),
    path("calendar-feed/", views.ical_settings, name="ical_settings"),
    path("ical/<str:token>.ics", views.ical_feed, name="ical_feed"),
    path("authority/<str:gss_code>/", views.authority_calendar, name="authority_calendar"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/agree-agenda/", views.agree, name="agree_agenda"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/held/", views.held, name="mark_held"),
    path("<int:pk>/note/draft/", views.note_draft, name="note_draft"),
    path("<int:pk>/note/circulate/", views.circulate, name="circulate"),
    path("<int:pk>/note/comment/", views.comment, name="comment"),
    path("<int:pk>/note/final/", views.send_final, name="send_final"),
]
