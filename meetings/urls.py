from django.urls import path

from . import views
from .views import calendar, delivery, feedback, reminders, responses, series

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
    path("<int:pk>/delivery/<int:offer_pk>/review/", delivery.delivery_review, name="delivery_review"),
    # the protocol's clocks: the authority's response, extensions, the calendar, series, digests, feedback
    path("<int:pk>/note/response/", responses.submit_response, name="submit_response"),
    path("<int:pk>/note/extension/", responses.request_extension, name="request_extension"),
    path("extensions/<int:pk>/agree/", responses.agree_extension, name="agree_extension"),
    path("extensions/<int:pk>/decline/", responses.decline_extension, name="decline_extension"),
    path("calendar/closures/", calendar.closure_list, name="closures"),
    path("calendar/closures/<int:pk>/remove/", calendar.closure_remove, name="closure_remove"),
    path("calendar/bank-holidays/", calendar.bank_holidays, name="bank_holidays"),
    path("reminder-emails/", reminders.reminder_emails, name="reminder_emails"),
    path("series/new/", series.series_create, name="series_create"),
    path("series/<int:pk>/", series.series_detail, name="series_detail"),
    path("series/<int:pk>/change/", series.series_change, name="series_change"),
    path("feedback/<int:pk>/", feedback.feedback_give, name="feedback_give"),
    path("feedback/results/", feedback.feedback_results, name="feedback_results"),
]
