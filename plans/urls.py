from .views import analysis, drafting, imports, offers, workflow

app_name = "plans"

urlpatterns = [
    *drafting.urlpatterns,
    *offers.urlpatterns,
    *workflow.urlpatterns,
    *analysis.urlpatterns,
    *imports.urlpatterns,
]
