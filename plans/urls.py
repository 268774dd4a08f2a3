from .views import analysis, extras, offers, plans, rows, workflow

app_name = "plans"

urlpatterns = [
    *plans.urlpatterns,
    *rows.urlpatterns,
    *extras.urlpatterns,
    *offers.urlpatterns,
    *workflow.urlpatterns,
    *analysis.urlpatterns,
]
