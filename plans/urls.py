from .views import analysis, changes, extras, imports, offers, plans, rows, workflow

app_name = "plans"

urlpatterns = [
    *plans.urlpatterns,
    *rows.urlpatterns,
    *extras.urlpatterns,
    *offers.urlpatterns,
    *workflow.urlpatterns,
    *analysis.urlpatterns,
    *imports.urlpatterns,
    *changes.urlpatterns,
]
