from .views import analysis, changes, delivery, extras, imports, offers, plans, rows, workflow

app_name = "plans"

urlpatterns = [
    *plans.urlpatterns,
    *rows.urlpatterns,
    *extras.urlpatterns,
    *offers.urlpatterns,
    *delivery.urlpatterns,
    *workflow.urlpatterns,
    *analysis.urlpatterns,
    *imports.urlpatterns,
    *changes.urlpatterns,
]
